// webserver-volume-access serves the current content of one file over HTTP.
// It reads the file again on every request, so an edit on the host shows up at once
// when the file is bind-mounted into the container.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	input := flag.String("i", "input", "file whose content is served, e.g. /app/input")
	port := flag.Int("p", 8080, "TCP port to listen on")
	flag.Parse()

	logger := log.New(os.Stderr, "webserver-volume-access: ", log.LstdFlags)

	server := &http.Server{
		Addr:              fmt.Sprintf(":%d", *port),
		Handler:           serveFile(*input, logger),
		ReadHeaderTimeout: 5 * time.Second,
	}

	// As PID 1 in a container a process gets no default SIGTERM handling: stop cleanly ourselves.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		logger.Print("stopping")
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdown)
	}()

	logger.Printf("serving the content of %s on port %d", *input, *port)
	if _, err := os.Stat(*input); err != nil {
		logger.Printf("warning: %v (requests fail until the file exists)", err)
	}
	if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Printf("cannot listen on port %d: %v", *port, err)
		os.Exit(1)
	}
}

func serveFile(path string, logger *log.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		content, err := os.ReadFile(path)
		if err != nil {
			status := http.StatusInternalServerError
			if errors.Is(err, fs.ErrNotExist) {
				status = http.StatusServiceUnavailable
			}
			logger.Printf("%s %s: %d, cannot read %s: %v", r.Method, r.URL.Path, status, path, err)
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(status)
			fmt.Fprintf(w, "cannot read the input file %s: %v\n", path, err)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(content)
	})
}
