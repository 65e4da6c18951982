package dev.skiff.node.ipam;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network in CIDR notation, e.g. a vSwitch's {@code 192.168.0.0/18}. Only the network address is
 * accepted ({@code 10.0.0.1/24} is refused rather than silently widened), as Kubernetes validation of CIDR fields
 * does.
 */
public record Cidr(InetAddress network, int prefixLength) {

    public Cidr {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + bits);
        }
        BigInteger value = new BigInteger(1, network.getAddress());
        if (value.and(hostMask(bits - prefixLength)).signum() != 0) {
            throw new IllegalArgumentException(network.getHostAddress() + "/" + prefixLength
                    + " is not a network address: its host bits are not zero");
        }
    }

    /**
     * Parses {@code address/prefix}. Only literal addresses are accepted: nothing is resolved through DNS.
     *
     * @throws IllegalArgumentException with a message naming the text, if it is not a CIDR
     */
    public static Cidr parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR (expected address/prefix)");
        }
        String address = text.substring(0, slash);
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no numeric prefix length", e);
        }
        return new Cidr(literal(address, text), prefix);
    }

    /** The number of host bits: 32 (or 128) minus the prefix length. */
    public int hostBits() {
        return network.getAddress().length * 8 - prefixLength;
    }

    public boolean ipv4() {
        return network instanceof Inet4Address;
    }

    /** The address {@code offset} places after the network address. */
    public InetAddress addressAt(long offset) {
        if (offset < 0 || BigInteger.valueOf(offset).bitLength() > hostBits()) {
            throw new IllegalArgumentException("offset " + offset + " is outside " + this);
        }
        BigInteger value = new BigInteger(1, network.getAddress()).add(BigInteger.valueOf(offset));
        return fromValue(value, network.getAddress().length);
    }

    /** How many places {@code address} lies after the network address, or -1 if it is not in this network. */
    public long offsetOf(InetAddress address) {
        if (address.getAddress().length != network.getAddress().length) {
            return -1;
        }
        BigInteger diff = new BigInteger(1, address.getAddress()).subtract(new BigInteger(1, network.getAddress()));
        if (diff.signum() < 0 || diff.bitLength() > hostBits()) {
            return -1;
        }
        return diff.bitLength() > 62 ? -1 : diff.longValueExact();
    }

    public boolean contains(InetAddress address) {
        return offsetOf(address) >= 0;
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }

    private static BigInteger hostMask(int hostBits) {
        return BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE);
    }

    private static InetAddress fromValue(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, bytes, length - copy, copy);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("unreachable: address of length " + length, e);
        }
    }

    private static InetAddress literal(String address, String whole) {
        try {
            if (address.indexOf(':') >= 0) {
                // An IPv6 literal: InetAddress parses it without any name lookup.
                return InetAddress.getByName(address.startsWith("[") ? address : "[" + address + "]");
            }
            String[] parts = address.split("\\.", -1);
            if (parts.length != 4) {
                throw new IllegalArgumentException("'" + whole + "' does not start with an IP address");
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                    throw new IllegalArgumentException("'" + whole + "' does not start with an IP address");
                }
                int octet = Integer.parseInt(parts[i]);
                if (octet > 255) {
                    throw new IllegalArgumentException("'" + whole + "' has an octet above 255");
                }
                bytes[i] = (byte) octet;
            }
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + whole + "' does not start with an IP address", e);
        }
    }
}
