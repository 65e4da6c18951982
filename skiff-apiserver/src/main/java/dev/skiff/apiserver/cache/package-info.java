/**
 * The watch cache: per resource, the current objects and a window of recent events in memory, fed by one storage
 * watch, so that LISTs and WATCHes (thousands of watchers, tens of thousands of objects) are served without
 * touching storage, as kube-apiserver's cacher does.
 */
package dev.skiff.apiserver.cache;
