package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One page of a list: the items, the revision they were read at (the list's resourceVersion), and the token for
 * the next page (null when this is the last one).
 */
public record ObjectList(List<ObjectNode> items, long revision, String continueToken) {

    public ObjectList {
        items = List.copyOf(items);
    }
}
