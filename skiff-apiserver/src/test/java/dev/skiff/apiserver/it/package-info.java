/** Integration tests: a real API server over TLS on a free port, driven by real Kubernetes clients. */
package dev.skiff.apiserver.it;
