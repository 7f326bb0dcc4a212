// web greets whoever asks and counts the visits in /data, a named volume, so the count outlives the container.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// greeting is set at build time: go build -ldflags "-X main.greeting=..." (the Dockerfile's GREETING).
var greeting = "Hello"

const visitsFile = "/data/visits"

var mu sync.Mutex

// nextVisit adds one to the count on the volume and returns it.
func nextVisit() (int, error) {
	mu.Lock()
	defer mu.Unlock()
	count := 0
	if data, err := os.ReadFile(visitsFile); err == nil {
		count, _ = strconv.Atoi(strings.TrimSpace(string(data)))
	}
	count++
	return count, os.WriteFile(visitsFile, []byte(strconv.Itoa(count)), 0o644)
}

func greet(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	if name == "" {
		name = "world"
	}
	visit, err := nextVisit()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	log.Printf("greeted %s (visit %d)", name, visit)
	fmt.Fprintf(w, "%s, %s! (visit %d)\n", greeting, name, visit)
}

// healthcheck is what the compose file's health check runs: the image is FROM scratch, so there is no
// shell, curl or wget in it; the server binary asks itself.
func healthcheck() int {
	client := http.Client{Timeout: 2 * time.Second}
	response, err := client.Get("http://127.0.0.1:8080/healthz")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer response.Body.Close()
	if response.StatusCode != http.StatusOK {
		return 1
	}
	return 0
}

func main() {
	check := flag.Bool("healthcheck", false, "ask the running server whether it is healthy, then exit")
	flag.Parse()
	if *check {
		os.Exit(healthcheck())
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/", greet)
	server := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Fatal(err)
		}
	}()
	log.Printf("listening on %s, greeting %q", server.Addr, greeting)
	<-ctx.Done()

	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := server.Shutdown(shutdown); err != nil {
		log.Print(err)
	}
}
