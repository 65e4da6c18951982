package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Reading Kubernetes Status errors as client-go's {@code apierrors} helpers do. */
public final class ApiErrors {

    private ApiErrors() {
    }

    /**
     * Upstream's {@code HasStatusCause(err, NamespaceTerminatingCause)}: a create refused because its namespace is
     * being deleted. Controllers drop such creates instead of retrying them: they would fail until the namespace is
     * gone, and then there is nothing left to create.
     */
    public static boolean namespaceTerminating(KubernetesClientException e) {
        Status status = e.getStatus();
        if (e.getCode() != 403 || status == null || status.getDetails() == null
                || status.getDetails().getCauses() == null) {
            return false;
        }
        for (StatusCause cause : status.getDetails().getCauses()) {
            if ("NamespaceTerminating".equals(cause.getReason())) {
                return true;
            }
        }
        return false;
    }

    public static boolean notFound(KubernetesClientException e) {
        return e.getCode() == 404;
    }
}
