package initorder

import "testing"

func TestHandleAfterNew(t *testing.T) {
	s := New()
	s.Handle("/", "index")
	<-s.ready
	if s.routes["/"] != "index" {
		t.Fatalf("routes %v", s.routes)
	}
}
