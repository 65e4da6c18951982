package dev.skiff.apiserver.service;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The range cluster IPs come from (kube-apiserver's {@code --service-cluster-ip-range}). Its usable addresses are
 * numbered from 0: the network address is never handed out, nor, for IPv4, the broadcast address, so index 0 is
 * the range's ".1", which the {@code kubernetes} service holds. Immutable.
 */
public final class ServiceCidr {

    /** Upstream refuses ranges of more than 2^20 addresses (a /12 for IPv4, a /108 for IPv6). */
    private static final int MAX_HOST_BITS = 20;

    private final byte[] network;
    private final int prefixLength;
    private final int size;

    private ServiceCidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
        int hostBits = network.length * 8 - prefixLength;
        int total = 1 << hostBits;
        this.size = network.length == 4 ? total - 2 : total - 1;
    }

    /** Parses {@code a.b.c.d/n} or an IPv6 CIDR; host bits are cleared. Throws IllegalArgumentException if invalid. */
    public static ServiceCidr parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        byte[] address = IpAddresses.parse(cidr.substring(0, slash))
                .orElseThrow(() -> new IllegalArgumentException("not a CIDR: " + cidr));
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        int bits = address.length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        if (bits - prefix > MAX_HOST_BITS) {
            throw new IllegalArgumentException("the service cluster IP range " + cidr + " is too large; for "
                    + bits + "-bit addresses, the mask must be >= " + (bits - MAX_HOST_BITS));
        }
        if (bits - prefix < 2) {
            throw new IllegalArgumentException("the service cluster IP range " + cidr + " has no usable addresses");
        }
        for (int bit = prefix; bit < bits; bit++) {
            address[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return new ServiceCidr(address, prefix);
    }

    /** "IPv4" or "IPv6". */
    public String family() {
        return IpAddresses.family(network);
    }

    /** How many addresses can be handed out. */
    public int size() {
        return size;
    }

    /**
     * How many of the first addresses are kept for clients that ask for a specific IP: dynamic allocation prefers
     * the rest (upstream's ServiceIPStaticSubrange, min(max(16, size/16), 256) of the CIDR's size).
     */
    public int staticBand() {
        long cidrSize = 1L << (network.length * 8 - prefixLength);
        if (cidrSize <= 16) {
            return 0;
        }
        return (int) Math.min(Math.max(16, cidrSize / 16), 256);
    }

    /** The canonical text of the usable address {@code index} (0 is the first after the network address). */
    public String addressAt(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        BigInteger value = new BigInteger(1, network).add(BigInteger.valueOf(index + 1L));
        byte[] raw = value.toByteArray();
        byte[] address = new byte[network.length];
        int copy = Math.min(raw.length, address.length);
        System.arraycopy(raw, raw.length - copy, address, address.length - copy, copy);
        return IpAddresses.format(address);
    }

    /** The index of a usable address of this range, or -1 if {@code ip} is not one. */
    public int indexOf(String ip) {
        byte[] address = IpAddresses.parse(ip).orElse(null);
        if (address == null || address.length != network.length) {
            return -1;
        }
        BigInteger offset = new BigInteger(1, address).subtract(new BigInteger(1, network));
        if (offset.signum() <= 0 || offset.compareTo(BigInteger.valueOf(size)) > 0) {
            return -1;
        }
        return offset.intValueExact() - 1;
    }

    @Override
    public String toString() {
        return IpAddresses.format(network) + "/" + prefixLength;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ServiceCidr that && prefixLength == that.prefixLength
                && Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }
}
