// This file finds the calls that block the hub's thread and that no rule rewrites: raw syscalls, cgo, reflect's channel operations and, in a package go generate twins, the standard library's waits.

package check

import (
	"go/ast"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// blockingSyscalls are the raw system calls, of package syscall and
// golang.org/x/sys/unix, that wait for something outside the process, by
// name, with what to use instead. A greenlet in one holds the hub's thread:
// no other greenlet runs until the kernel answers.
var blockingSyscalls = map[string]string{}

func init() {
	for advice, names := range map[string][]string{
		"read through an *os.File or a net.Conn, whose waits gopatch patches, or wrap the call in rt.Offload": {
			"Read", "Pread", "Readv", "Preadv", "Preadv2", "Recvfrom", "Recvmsg", "Recvmmsg"},
		"use net.Listen and net.Dial, whose waits gopatch patches, or wrap the call in rt.Offload": {
			"Accept", "Accept4", "Connect"},
		"wait with (*os.Process).Wait or (*exec.Cmd).Wait, which gopatch patches, or wrap the call in rt.Offload": {
			"Wait4", "Waitid"},
		"wrap the call in rt.Offload": {
			"Select", "Pselect", "Poll", "Ppoll", "EpollWait", "EpollPwait", "Kevent", "Flock", "Pause"},
		"use time.Sleep, which waits on the hub's clock": {
			"Nanosleep", "ClockNanosleep"},
	} {
		for _, n := range names {
			blockingSyscalls[n] = advice
		}
	}
}

// cgoHelpers are cgo's own conversion functions: they copy memory and
// return, so calling them is no wait.
var cgoHelpers = map[string]bool{
	"CString": true, "CBytes": true, "GoString": true, "GoStringN": true, "GoBytes": true,
	"free": true, "malloc": true, "_CMalloc": true,
}

// reflectWaits are reflect's channel operations that wait natively.
var reflectWaits = map[string]bool{
	"reflect.Select":       true,
	"(reflect.Value).Recv": true,
	"(reflect.Value).Send": true,
}

// nativeStd lists, by package and then by receiver type name ("" for a
// package-level function), the standard library's functions and methods
// that wait on the network, a pipe or a database. Under gopatch run, test
// and build the standard library is patched and they wait on the hub; in a
// twin that go generate wrote, which only rewrites the module, they hold
// the hub's thread.
var nativeStd = map[string]map[string][]string{
	"net": {
		"": {"Dial", "DialTimeout", "DialTCP", "DialUDP", "DialIP", "DialUnix",
			"Listen", "ListenTCP", "ListenUDP", "ListenIP", "ListenUnix", "ListenUnixgram", "ListenPacket", "ListenMulticastUDP"},
		"Dialer":       {"Dial", "DialContext"},
		"ListenConfig": {"Listen", "ListenPacket"},
		"Conn":         {"Read", "Write"},
		"PacketConn":   {"ReadFrom", "WriteTo"},
		"Listener":     {"Accept"},
		"TCPConn":      {"Read", "Write", "ReadFrom", "WriteTo"},
		"UDPConn":      {"Read", "Write", "ReadFrom", "ReadFromUDP", "ReadFromUDPAddrPort", "ReadMsgUDP", "ReadMsgUDPAddrPort", "WriteTo", "WriteToUDP", "WriteToUDPAddrPort", "WriteMsgUDP", "WriteMsgUDPAddrPort"},
		"UnixConn":     {"Read", "Write", "ReadFrom", "ReadFromUnix", "ReadMsgUnix", "WriteTo", "WriteToUnix", "WriteMsgUnix"},
		"IPConn":       {"Read", "Write", "ReadFrom", "ReadFromIP", "ReadMsgIP", "WriteTo", "WriteToIP", "WriteMsgIP"},
		"TCPListener":  {"Accept", "AcceptTCP"},
		"UnixListener": {"Accept", "AcceptUnix"},
	},
	"net/http": {
		"":             {"Get", "Head", "Post", "PostForm", "ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS"},
		"Client":       {"Do", "Get", "Head", "Post", "PostForm"},
		"Server":       {"ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS", "Shutdown"},
		"Transport":    {"RoundTrip"},
		"RoundTripper": {"RoundTrip"},
	},
	"crypto/tls": {
		"":     {"Dial", "DialWithDialer"},
		"Conn": {"Read", "Write", "Handshake", "HandshakeContext"},
	},
	"database/sql": {
		"DB":   {"Begin", "BeginTx", "Conn", "Exec", "ExecContext", "Ping", "PingContext", "Prepare", "PrepareContext", "Query", "QueryContext", "QueryRow", "QueryRowContext"},
		"Tx":   {"Commit", "Rollback", "Exec", "ExecContext", "Prepare", "PrepareContext", "Query", "QueryContext", "QueryRow", "QueryRowContext"},
		"Stmt": {"Exec", "ExecContext", "Query", "QueryContext", "QueryRow", "QueryRowContext"},
		"Rows": {"Next"},
	},
	"io": {
		"PipeReader": {"Read"},
		"PipeWriter": {"Write"},
	},
}

// isNativeStd reports whether fn is in [nativeStd].
func isNativeStd(fn *types.Func) bool {
	byRecv, ok := nativeStd[fn.Pkg().Path()]
	if !ok {
		return false
	}
	recv := ""
	if r := fn.Signature().Recv(); r != nil {
		t := r.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		named, ok := t.(*types.Named)
		if !ok {
			return false
		}
		recv = named.Obj().Name()
	}
	for _, n := range byRecv[recv] {
		if n == fn.Name() {
			return true
		}
	}
	return false
}

// checkCall reports call when it blocks the hub; twinned says the package
// is the source of a go generate twin, where the standard library is not
// patched.
func checkCall(pass *analysis.Pass, call *ast.CallExpr, twinned bool) {
	if name, ok := cgoCall(pass, call); ok {
		report(pass, call, CodeCgo, "cgo call C.%s runs on the hub's thread until it returns, and every other greenlet waits; wrap it in rt.Offload if it can block", name)
		return
	}
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	if !ok || fn.Pkg() == nil {
		return
	}
	path := fn.Pkg().Path()
	switch {
	case (path == "syscall" || path == "golang.org/x/sys/unix") && fn.Signature().Recv() == nil && blockingSyscalls[fn.Name()] != "":
		report(pass, call, CodeSyscall, "call to %s.%s blocks the hub and is not rewritten; %s", fn.Pkg().Name(), fn.Name(), blockingSyscalls[fn.Name()])
	case reflectWaits[fn.FullName()]:
		report(pass, call, CodeReflect, "call to %s waits natively, where the hub cannot see it, and blocks every other greenlet; use a select statement or a channel operation, or wrap the call in rt.Offload", displayName(fn))
	case twinned && isNativeStd(fn):
		report(pass, call, CodeNativeStdlib, "call to %s waits natively in the twin go generate writes, which rewrites only this module; run the program under gopatch run, test or build, which patch the standard library, or wrap the call in rt.Offload", displayName(fn))
	}
}

// displayName names fn as a reader writes it: net.Dial, (*net.Dialer).Dial.
func displayName(fn *types.Func) string {
	return strings.Replace(fn.FullName(), fn.Pkg().Path()+".", fn.Pkg().Name()+".", 1)
}

// cgoCall returns the C function call calls, if it is a cgo call: C.f in
// the files cgo reads (a type checker with FakeImportC), or _Cfunc_f in
// the files cgo writes, which the go command and go/packages type-check.
func cgoCall(pass *analysis.Pass, call *ast.CallExpr) (string, bool) {
	name := ""
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		id, ok := fun.X.(*ast.Ident)
		if !ok {
			return "", false
		}
		pn, ok := pass.TypesInfo.Uses[id].(*types.PkgName)
		if !ok || pn.Imported().Path() != "C" {
			return "", false
		}
		name = fun.Sel.Name
	case *ast.Ident:
		var ok bool
		if name, ok = strings.CutPrefix(fun.Name, "_Cfunc_"); !ok {
			if name, ok = strings.CutPrefix(fun.Name, "_C2func_"); !ok {
				return "", false
			}
		}
	default:
		return "", false
	}
	return name, !cgoHelpers[name]
}

// checkImports reports, in a package go generate twins, each import of a
// package of another module: generate rewrites only the main module, so
// the twin calls that package as it is, and its goroutines, channels,
// locks and timers wait natively. The analyzer cannot see which of its
// calls wait (it has no facts), so the import is the finding. A driver
// that gives no module (GOPATH mode) gets no such findings.
func checkImports(pass *analysis.Pass, f *ast.File) {
	if pass.Module == nil || pass.Module.Path == "" {
		return
	}
	mod := pass.Module.Path
	for _, spec := range f.Imports {
		path, err := strconv.Unquote(spec.Path.Value)
		if err != nil || path == "C" || isStd(path) || path == mod || strings.HasPrefix(path, mod+"/") {
			continue
		}
		report(pass, spec, CodeNativeDep, "%s is not rewritten in the twin go generate writes, which rewrites only this module: its goroutines, channels, locks and timers wait natively there; run the program under gopatch run, test or build, which patch dependencies too", path)
	}
}

// isStd reports whether path looks like a standard library package's:
// its first element has no dot.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}
