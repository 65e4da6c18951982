package dev.skiff.node.runtime;

/**
 * A terminal's size in characters, as the {@code resize} channel of an exec or attach session carries it
 * (client-go's {@code remotecommand.TerminalSize}).
 */
public record TerminalSize(int width, int height) {

    public TerminalSize {
        if (width < 0 || height < 0 || width > 0xFFFF || height > 0xFFFF) {
            throw new IllegalArgumentException("terminal size out of range: " + width + "x" + height);
        }
    }
}
