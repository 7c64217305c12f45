// Command tls_loopback makes a self-signed certificate, serves TLS on loopback and has three clients that trust it exchange a line each.
package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"sort"
	"sync"
	"time"
)

func main() {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
	})
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				line, _ := bufio.NewReader(c).ReadString('\n')
				fmt.Fprintf(c, "secure %s", line)
			}()
		}
	}()
	var mu sync.Mutex
	var got []string
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{RootCAs: pool})
			if err != nil {
				panic(err)
			}
			defer c.Close()
			fmt.Fprintf(c, "hello %d\n", i)
			line, _ := bufio.NewReader(c).ReadString('\n')
			mu.Lock()
			got = append(got, line+" "+tls.VersionName(c.ConnectionState().Version))
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Strings(got)
	for _, g := range got {
		fmt.Println(g)
	}
}
