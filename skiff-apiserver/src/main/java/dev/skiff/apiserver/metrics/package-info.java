/**
 * The API server's Prometheus metrics ({@code /metrics}), named after kube-apiserver's where they mean the same
 * thing, so existing dashboards and alerts find them.
 */
package dev.skiff.apiserver.metrics;
