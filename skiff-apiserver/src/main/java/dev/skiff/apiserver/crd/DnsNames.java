package dev.skiff.apiserver.crd;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** apimachinery's IsDNS1035Label and IsDNS1123Subdomain, with their messages (joined by "," as upstream). */
final class DnsNames {

    private static final String DNS1035 = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String SUBDOMAIN = LABEL + "(\\." + LABEL + ")*";
    private static final Pattern DNS1035_PATTERN = Pattern.compile(DNS1035);
    private static final Pattern SUBDOMAIN_PATTERN = Pattern.compile(SUBDOMAIN);

    private DnsNames() {
    }

    /** Empty when {@code value} is a DNS-1035 label, else the reasons. */
    static String dns1035Label(String value) {
        List<String> problems = new ArrayList<>();
        if (value.length() > 63) {
            problems.add("must be no more than 63 characters");
        }
        if (!DNS1035_PATTERN.matcher(value).matches()) {
            problems.add("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                    + "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
                    + "regex used for validation is '" + DNS1035 + "')");
        }
        return String.join(",", problems);
    }

    /** Empty when {@code value} is a DNS-1123 subdomain, else the reasons. */
    static String dns1123Subdomain(String value) {
        List<String> problems = new ArrayList<>();
        if (value.length() > 253) {
            problems.add("must be no more than 253 characters");
        }
        if (!SUBDOMAIN_PATTERN.matcher(value).matches()) {
            problems.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
                    + "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
                    + "for validation is '" + SUBDOMAIN + "')");
        }
        return String.join(",", problems);
    }
}
