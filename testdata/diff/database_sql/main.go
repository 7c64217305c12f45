// Program database_sql runs database/sql over a pure-Go driver of its own
// (an in-memory table whose queries take 10 ms): eight goroutines query
// through a pool of two connections, so six at a time wait in
// database/sql's pool for a connection, and a transaction commits and
// rolls back. Natively and under gopatch, where database/sql is rewritten
// and its pool's waits are the hub's, it prints the same.
package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// store is the table the driver serves: name -> value.
type store struct {
	mu   sync.Mutex
	rows map[string]int
	open int // connections open now
	most int // most open at once
}

type memDriver struct{ s *store }

func (d memDriver) Open(string) (driver.Conn, error) {
	d.s.mu.Lock()
	d.s.open++
	d.s.most = max(d.s.most, d.s.open)
	d.s.mu.Unlock()
	return &memConn{s: d.s}, nil
}

type memConn struct {
	s   *store
	txn map[string]int // writes of the open transaction
}

func (c *memConn) Prepare(query string) (driver.Stmt, error) { return &memStmt{c, query}, nil }
func (c *memConn) Close() error {
	c.s.mu.Lock()
	c.s.open--
	c.s.mu.Unlock()
	return nil
}
func (c *memConn) Begin() (driver.Tx, error) {
	c.txn = map[string]int{}
	return c, nil
}
func (c *memConn) Commit() error {
	c.s.mu.Lock()
	for k, v := range c.txn {
		c.s.rows[k] = v
	}
	c.s.mu.Unlock()
	c.txn = nil
	return nil
}
func (c *memConn) Rollback() error { c.txn = nil; return nil }

// memStmt runs "get NAME" and "set NAME VALUE", each after 10 ms.
type memStmt struct {
	c     *memConn
	query string
}

func (s *memStmt) Close() error  { return nil }
func (s *memStmt) NumInput() int { return -1 }
func (s *memStmt) Exec(args []driver.Value) (driver.Result, error) {
	time.Sleep(10 * time.Millisecond)
	f := strings.Fields(s.query)
	if len(f) != 3 || f[0] != "set" {
		return nil, errors.New("bad exec: " + s.query)
	}
	v, _ := strconv.Atoi(f[2])
	if s.c.txn != nil {
		s.c.txn[f[1]] = v
	} else {
		s.c.s.mu.Lock()
		s.c.s.rows[f[1]] = v
		s.c.s.mu.Unlock()
	}
	return driver.RowsAffected(1), nil
}
func (s *memStmt) Query(args []driver.Value) (driver.Rows, error) {
	time.Sleep(10 * time.Millisecond)
	f := strings.Fields(s.query)
	if len(f) != 2 || f[0] != "get" {
		return nil, errors.New("bad query: " + s.query)
	}
	s.c.s.mu.Lock()
	v, ok := s.c.s.rows[f[1]]
	s.c.s.mu.Unlock()
	return &memRows{v: v, ok: ok}, nil
}

type memRows struct {
	v      int
	ok     bool
	passed bool
}

func (r *memRows) Columns() []string { return []string{"value"} }
func (r *memRows) Close() error      { return nil }
func (r *memRows) Next(dest []driver.Value) error {
	if r.passed || !r.ok {
		return io.EOF
	}
	r.passed = true
	dest[0] = int64(r.v)
	return nil
}

func main() {
	s := &store{rows: map[string]int{}}
	sql.Register("mem", memDriver{s})
	db, err := sql.Open("mem", "")
	if err != nil {
		panic(err)
	}
	db.SetMaxOpenConns(2)
	for i := range 8 {
		if _, err := db.Exec(fmt.Sprintf("set k%d %d", i, i*i)); err != nil {
			panic(err)
		}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var got []string
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var v int
			if err := db.QueryRowContext(context.Background(), fmt.Sprintf("get k%d", i)).Scan(&v); err != nil {
				panic(err)
			}
			mu.Lock()
			got = append(got, fmt.Sprintf("k%d=%d", i, v))
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Strings(got)
	fmt.Println(strings.Join(got, " "))
	fmt.Println("waited for a connection:", db.Stats().WaitCount > 0, "most open:", s.most)

	tx, _ := db.Begin()
	tx.Exec("set committed 1")
	tx.Commit()
	tx, _ = db.Begin()
	tx.Exec("set rolledback 1")
	tx.Rollback()
	var v int
	fmt.Println("committed:", db.QueryRow("get committed").Scan(&v) == nil && v == 1,
		"rolled back:", errors.Is(db.QueryRow("get rolledback").Scan(&v), sql.ErrNoRows))

	// A query whose context ends while it waits for a connection gives up.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	c1, _ := db.Conn(context.Background())
	c2, _ := db.Conn(context.Background())
	_, err = db.QueryContext(ctx, "get k1")
	fmt.Println("timed out waiting:", errors.Is(err, context.DeadlineExceeded))
	c1.Close()
	c2.Close()
	db.Close()
}
