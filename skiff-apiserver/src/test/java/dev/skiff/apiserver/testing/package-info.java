/**
 * Test support published in skiff-apiserver's test-jar: {@link dev.skiff.apiserver.testing.TestApiServer}, the real
 * API server in-process for the tests of components that are API clients (node agent, scheduler, controllers).
 */
package dev.skiff.apiserver.testing;
