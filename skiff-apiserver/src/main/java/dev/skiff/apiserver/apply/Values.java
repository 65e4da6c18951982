package dev.skiff.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;

/** Equality of JSON values as Kubernetes sees them: numbers by value whatever their node type. Stateless. */
final class Values {

    private Values() {
    }

    static boolean same(JsonNode a, JsonNode b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a.equals(b)) {
            return true;
        }
        if (a.isNumber() && b.isNumber()) {
            return CanonicalJson.write(a).equals(CanonicalJson.write(b));
        }
        if (a.isContainerNode() && b.isContainerNode() && a.getNodeType() == b.getNodeType()
                && a.size() == b.size()) {
            return CanonicalJson.write(a).equals(CanonicalJson.write(b));
        }
        return false;
    }
}
