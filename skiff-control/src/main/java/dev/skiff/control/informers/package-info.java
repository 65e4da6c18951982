/**
 * One informer per watched kind for every component of a process that talks to the same cluster: the scheduler,
 * the controllers and the garbage collector add their handlers and indexers to {@link
 * dev.skiff.control.informers.SharedInformers} instead of each keeping a list+watch of its own (client-go's
 * {@code SharedInformerFactory}, which kube-controller-manager and kube-scheduler use for the same reason: every
 * watch event is decoded once per informer, and with pods that decode is the largest client-side cost).
 * The informers are ordinary Kubernetes API watches: nothing here reaches past the API.
 */
package dev.skiff.control.informers;
