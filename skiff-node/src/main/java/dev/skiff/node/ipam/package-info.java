/**
 * Pod address management for the virtual node: each vSwitch (zone) has a CIDR, and its node agent hands out pod
 * IPs from it with an {@link dev.skiff.node.ipam.IpPool}. Addresses belong to the node agent, not the runtime: the
 * agent allocates one before creating an instance (passing it in the spec), releases it after the instance is gone,
 * and rebuilds the pool from running pods after a restart, so no address is ever held by two pods.
 */
package dev.skiff.node.ipam;
