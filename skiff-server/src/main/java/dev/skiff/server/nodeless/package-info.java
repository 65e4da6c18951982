/**
 * The nodeless half of a Skiff cluster, composed in-process next to the API server: the ECI Profile
 * ({@code kube-system/eci-profile}) that says which vSwitches (zones) exist, one virtual node agent per vSwitch on an
 * instance runtime, and the scheduler loop. Every part is an API client of the in-process API server, exactly as it
 * would be against any cluster (decision 017).
 */
package dev.skiff.server.nodeless;
