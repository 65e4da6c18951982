package dev.skiff.apiserver.apply;

/**
 * Who writes an object and how: the field manager, the API version of the request, the subresource written
 * through ("" for the main resource), the {@link Scope} of fields the write may own, and the type's {@link Shape}.
 */
public record Writer(String manager, String apiVersion, String subresource, Scope scope, Shape shape) {

    public Writer {
        subresource = subresource == null ? "" : subresource;
    }
}
