package dev.skiff.apiserver.crd;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * apimachinery's {@code CompareKubeAwareVersionStrings} as an ordering, highest priority first: GA versions before
 * beta before alpha, higher numbers first ({@code v2, v1, v1beta2, v1beta1, v1alpha1}), then versions that do not
 * look like Kubernetes versions, alphabetically. Discovery lists a CRD's versions in this order, so the first one
 * is the group's preferred version, as upstream.
 */
final class VersionPriority {

    private static final Pattern KUBE = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

    static final Comparator<String> HIGHEST_FIRST = VersionPriority::compare;

    private VersionPriority() {
    }

    private static int compare(String a, String b) {
        Matcher ma = KUBE.matcher(a);
        Matcher mb = KUBE.matcher(b);
        boolean ka = ma.matches();
        boolean kb = mb.matches();
        if (!ka || !kb) {
            return ka ? -1 : kb ? 1 : a.compareTo(b);
        }
        int stability = Integer.compare(rank(mb.group(2)), rank(ma.group(2)));
        if (stability != 0) {
            return stability;
        }
        int major = Long.compare(Long.parseLong(mb.group(1)), Long.parseLong(ma.group(1)));
        if (major != 0) {
            return major;
        }
        return ma.group(3) == null ? 0 : Long.compare(Long.parseLong(mb.group(3)), Long.parseLong(ma.group(3)));
    }

    private static int rank(String stage) {
        return stage == null ? 2 : stage.equals("beta") ? 1 : 0;
    }
}
