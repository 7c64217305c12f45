// Package checkthenact caches expensive loads: Get looks the key up under
// the lock, and on a miss loads it and stores it under the lock again, so
// two callers that miss together both load.
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
	v, ok := c.m[key]
	c.mu.Unlock()
	if !ok { // BUG: another caller may be loading the same key
		v = c.load(key)
		c.mu.Lock()
		c.m[key] = v
		c.mu.Unlock()
	}
	return v
}
