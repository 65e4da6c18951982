/**
 * The HTTPS transport: {@link dev.skiff.apiserver.http.HttpTransport} runs a Vert.x server (HTTP/1.1 and HTTP/2,
 * TLS with optional client certificates), collects each request body up to the API's size limit on the event
 * loop, and hands an {@link dev.skiff.apiserver.http.Exchange} to the application on a virtual thread, where
 * blocking storage calls are fine. Streaming answers (watches) block their virtual thread when the client reads
 * slowly instead of buffering without bound.
 */
package dev.skiff.apiserver.http;
