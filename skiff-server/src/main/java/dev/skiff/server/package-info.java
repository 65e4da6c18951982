/**
 * The composition root and the command line.
 *
 * <p>{@link dev.skiff.server.SkiffCli} is the {@code main} class of the runnable jar ({@code skiff.jar}). This is
 * the one place where components are created and wired together; nothing else in Skiff holds static singletons.
 * Each subcommand is a small class that receives what it needs through its constructor.
 */
package dev.skiff.server;
