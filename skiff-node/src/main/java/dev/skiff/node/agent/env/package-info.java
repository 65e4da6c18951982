/**
 * What the kubelet resolves before a container starts: environment variables from {@code env} and {@code envFrom}
 * (literal values, ConfigMap and Secret keys, the downward API's {@code fieldRef} and {@code resourceFieldRef}),
 * {@code $(VAR)} expansion of values, command and args, and the downward API's field paths shared with volumes.
 * Missing non-optional references are {@link dev.skiff.node.agent.env.ContainerConfigException}s, which the agent
 * reports as upstream's {@code CreateContainerConfigError}.
 */
package dev.skiff.node.agent.env;
