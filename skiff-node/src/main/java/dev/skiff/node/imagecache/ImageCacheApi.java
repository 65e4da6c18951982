package dev.skiff.node.imagecache;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** Names of the ImageCache API and of the pod annotations that use it, as ECI publishes them. */
public final class ImageCacheApi {

    public static final String GROUP = "eci.alibabacloud.com";
    public static final String VERSION = "v1";
    public static final String PLURAL = "imagecaches";
    public static final String KIND = "ImageCache";

    /** {@code "true"} asks for automatic matching of a Ready cache holding every image of the pod. */
    public static final String AUTO_MATCH_ANNOTATION = "k8s.aliyun.com/eci-image-cache";
    /** Names one cache by its {@code imc-...} id. */
    public static final String SNAPSHOT_ID_ANNOTATION = "k8s.aliyun.com/eci-image-snapshot-id";

    public static final String PHASE_CREATING = "Creating";
    public static final String PHASE_READY = "Ready";
    public static final String PHASE_FAILED = "Failed";

    /** How a Kubernetes client addresses the resource. */
    public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup(GROUP).withVersion(VERSION).withPlural(PLURAL).withKind(KIND).withNamespaced(false)
            .build();

    private ImageCacheApi() {
    }
}
