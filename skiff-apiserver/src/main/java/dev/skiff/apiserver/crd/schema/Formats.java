package dev.skiff.apiserver.crd.schema;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The string formats kube-apiserver checks in custom resources that are cheap to check here. Upstream validates a
 * fixed list of go-openapi formats and ignores any other (its {@code StripUnsupportedFormatsPostProcess}); Skiff
 * checks the common ones below and, like upstream for unknown ones, accepts the rest (isbn, creditcard, ssn,
 * hexcolor, rgbcolor, bsonobjectid, duration).
 */
final class Formats {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern HOSTNAME = Pattern.compile(
            "^(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*$");
    private static final Pattern IPV4 = Pattern.compile(
            "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
    private static final Pattern UUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$");
    private static final Pattern MAC = Pattern.compile(
            "^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$|^([0-9A-Fa-f]{4}\\.){2}[0-9A-Fa-f]{4}$");

    private static final Map<String, Predicate<String>> CHECKS = Map.ofEntries(
            Map.entry("email", s -> EMAIL.matcher(s).matches()),
            Map.entry("hostname", s -> HOSTNAME.matcher(s).matches()),
            Map.entry("ipv4", s -> IPV4.matcher(s).matches()),
            Map.entry("ipv6", Formats::ipv6),
            Map.entry("cidr", Formats::cidr),
            Map.entry("mac", s -> MAC.matcher(s).matches()),
            Map.entry("uuid", s -> UUID.matcher(s).matches()),
            Map.entry("uuid3", s -> UUID.matcher(s).matches()),
            Map.entry("uuid4", s -> UUID.matcher(s).matches()),
            Map.entry("uuid5", s -> UUID.matcher(s).matches()),
            Map.entry("uri", Formats::uri),
            Map.entry("byte", Formats::base64),
            Map.entry("date", Formats::date),
            Map.entry("date-time", Formats::dateTime),
            Map.entry("datetime", Formats::dateTime));

    private Formats() {
    }

    /** Whether {@code value} has {@code format}; true for formats not checked. */
    static boolean valid(String format, String value) {
        Predicate<String> check = CHECKS.get(format);
        return check == null || check.test(value);
    }

    private static boolean ipv6(String s) {
        if (!s.contains(":") || !s.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(s) instanceof java.net.Inet6Address
                    || s.contains("::ffff:") || s.startsWith("::");
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static boolean cidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String address = s.substring(0, slash);
        int bits;
        try {
            bits = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (IPV4.matcher(address).matches()) {
            return bits >= 0 && bits <= 32;
        }
        return ipv6(address) && bits >= 0 && bits <= 128;
    }

    private static boolean uri(String s) {
        try {
            return new URI(s).isAbsolute();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean base64(String s) {
        try {
            Base64.getDecoder().decode(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean date(String s) {
        try {
            LocalDate.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean dateTime(String s) {
        try {
            OffsetDateTime.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
