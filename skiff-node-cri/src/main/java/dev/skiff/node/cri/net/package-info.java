/**
 * Pod networking for the cri runtime: a Skiff-owned bridge, the CNI configuration containerd reads, and an IPAM
 * plugin that gives each sandbox the address the node agent's IPAM chose.
 */
package dev.skiff.node.cri.net;
