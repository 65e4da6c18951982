package dev.skiff.apiserver.service;

import java.util.Optional;

/**
 * IP address literals as the API writes them: parsed without any name lookup, and printed in the canonical form Go's
 * {@code net.IP.String()} uses (dotted quad; RFC 5952 for IPv6), so that equal addresses compare equal as text.
 */
final class IpAddresses {

    private IpAddresses() {
    }

    /** The 4 or 16 bytes of an IPv4 or IPv6 literal, or empty if {@code text} is not one. */
    static Optional<byte[]> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        return text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
    }

    /** Whether {@code text} is an IPv6 literal (and not an IPv4 one). */
    static boolean isV6(String text) {
        return parse(text).map(bytes -> bytes.length == 16).orElse(false);
    }

    /** The family name the API uses for an address: "IPv4" or "IPv6". */
    static String family(byte[] address) {
        return address.length == 4 ? "IPv4" : "IPv6";
    }

    /** The canonical text of an address. */
    static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
                    + (address[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        // The longest run of two or more zero groups (the first of equals) becomes "::" (RFC 5952).
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    /** The canonical text of a literal, or {@code text} unchanged if it is not one. */
    static String canonical(String text) {
        return parse(text).map(IpAddresses::format).orElse(text);
    }

    private static Optional<byte[]> parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) value;
        }
        return Optional.of(bytes);
    }

    private static Optional<byte[]> parseV6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return Optional.empty();
        }
        String head = gap >= 0 ? text.substring(0, gap) : text;
        String tail = gap >= 0 ? text.substring(gap + 2) : "";
        int[] headGroups = groups(head);
        int[] tailGroups = groups(tail);
        if (headGroups == null || tailGroups == null) {
            return Optional.empty();
        }
        int total = headGroups.length + tailGroups.length;
        if ((gap < 0 && total != 8) || (gap >= 0 && total > 7)) {
            return Optional.empty();
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < headGroups.length; i++) {
            bytes[2 * i] = (byte) (headGroups[i] >> 8);
            bytes[2 * i + 1] = (byte) headGroups[i];
        }
        for (int i = 0; i < tailGroups.length; i++) {
            int at = 8 - tailGroups.length + i;
            bytes[2 * at] = (byte) (tailGroups[i] >> 8);
            bytes[2 * at + 1] = (byte) tailGroups[i];
        }
        // An IPv4-mapped address is an IPv4 address (Go's To4 and the API's family checks agree).
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= bytes[i] == 0;
        }
        if (mapped && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
            return Optional.of(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
        }
        return Optional.of(bytes);
    }

    /** The 16-bit groups of a colon-separated part (a trailing dotted quad counts as two), or null if malformed. */
    private static int[] groups(String part) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] pieces = part.split(":", -1);
        int[] groups = new int[pieces.length + 1];
        int count = 0;
        for (int i = 0; i < pieces.length; i++) {
            String piece = pieces[i];
            if (i == pieces.length - 1 && piece.indexOf('.') >= 0) {
                Optional<byte[]> v4 = parseV4(piece);
                if (v4.isEmpty()) {
                    return null;
                }
                byte[] b = v4.get();
                groups[count++] = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
                groups[count++] = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
                continue;
            }
            if (piece.isEmpty() || piece.length() > 4) {
                return null;
            }
            int value = 0;
            for (char c : piece.toCharArray()) {
                int digit = Character.digit(c, 16);
                if (digit < 0) {
                    return null;
                }
                value = value * 16 + digit;
            }
            groups[count++] = value;
        }
        return java.util.Arrays.copyOf(groups, count);
    }
}
