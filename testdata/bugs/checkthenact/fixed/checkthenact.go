// Package checkthenact is example.com/bugs/checkthenact with its bug mended; its test is
// the same file. See that package's doc for the bug.
package checkthenact

import "sync"

// Cache holds loaded values by key; loads counts the loads.
type Cache struct {
	mu    sync.Mutex
	m     map[string]string
	loads int
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{m: make(map[string]string)} }

func (c *Cache) load(key string) string {
	c.loads++
	return "value of " + key
}

func (c *Cache) Get(key string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	if !ok {
		v = c.load(key)
		c.m[key] = v
	}
	return v
}
