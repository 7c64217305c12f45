package offloadarity

import (
	"context"
	"net"
)

func Port(r *net.Resolver) (int, error) {
	return (*net.Resolver).LookupPort(r, context.Background(), "tcp", "http") // want `call to \(\*net.Resolver\).LookupPort with 4 parameters and 2 results cannot be offloaded \(GP0105\)`
}
