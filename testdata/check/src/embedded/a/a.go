package a

import "sync"

type inner struct{ sync.Mutex }

type T struct{ inner }
