// Command exec_pipes runs child processes with a stdout pipe and a stdin pipe, reads what they print while other goroutines run, and reports their exit codes.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"
)

func main() {
	ticks := make(chan int)
	go func() {
		n := 0
		for range 3 {
			time.Sleep(time.Millisecond)
			n++
		}
		ticks <- n
	}()

	cmd := exec.Command("sh", "-c", "for i in 1 2 3; do echo out $i; done; exit 3")
	out, err := cmd.StdoutPipe()
	if err != nil {
		panic(err)
	}
	if err := cmd.Start(); err != nil {
		panic(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		fmt.Println("child said:", sc.Text())
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		fmt.Println("exit code:", exit.ExitCode())
	}
	fmt.Println("ticker ran:", <-ticks)

	cat := exec.Command("cat")
	in, _ := cat.StdinPipe()
	catOut, _ := cat.StdoutPipe()
	if err := cat.Start(); err != nil {
		panic(err)
	}
	go func() {
		io.WriteString(in, "through cat\n")
		in.Close()
	}()
	b, _ := io.ReadAll(catOut)
	fmt.Println("cat:", strings.TrimSpace(string(b)), cat.Wait())

	o, err := exec.Command("echo", "combined").CombinedOutput()
	fmt.Printf("combined: %q %v\n", o, err)
}
