// Package nativeplain has no go generate twin: under gopatch run, test and
// build the standard library is patched, so its network waits are
// cooperative and nothing is reported.
package nativeplain

import "net/http"

func Fetch(url string) (*http.Response, error) {
	return http.Get(url)
}
