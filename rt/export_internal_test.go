package rt

// HubCount returns how many hubs exist, for tests in package rt_test that
// check that hubs go away.
func HubCount() int {
	n := 0
	allHubs.Range(func(any, any) bool { n++; return true })
	return n
}

// BlockOffHub is blockOffHub, for tests in package rt_test.
var BlockOffHub = blockOffHub
