package dev.skiff.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.discovery.GroupVersionKind;
import dev.skiff.apiserver.openapi.models.ApiPackages;
import dev.skiff.apiserver.resource.ResourceType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Component schemas (OpenAPI 3) and definitions (Swagger 2), named as upstream names them
 * ({@code io.k8s.api.apps.v1.Deployment}, {@code io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta}, custom resources
 * by reversed group: {@code com.example.stable.v1.CronTab}).
 *
 * <p><strong>Built-in kinds</strong> get their full definitions, generated from the Kubernetes Java client's models
 * ({@link dev.skiff.apiserver.openapi.models.BuiltinDefinitions}, rendered by {@link DefinitionRenderer}): every
 * field with its type and description, so {@code kubectl explain pod.spec.containers} works as against upstream.
 * Each group version's document carries its kinds' definitions and everything they contain, wherever it lives
 * (the apps/v1 document carries io.k8s.api.core.v1.PodSpec).
 *
 * <p><strong>Minimal schemas</strong> remain the fallback for a built-in kind without a model (and for all of them
 * if the models are missing from the class path): an object with {@code apiVersion}, {@code kind} and
 * {@code metadata}, every other field preserved unknown ({@code x-kubernetes-preserve-unknown-fields}), and
 * {@code x-kubernetes-group-version-kind}. That is what kubectl needs to find a kind and its operations. The
 * operation schemas (Status, DeleteOptions, Patch, WatchEvent, APIResourceList) are always written here, with the
 * kinds of the document's group version. Custom resources publish their CRD's schema, completed with apiVersion,
 * kind and metadata, so {@code kubectl explain} shows their fields. Thread-safe: pure functions.
 */
final class Schemas {

    static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    static final String OBJECT_META = META + "ObjectMeta";
    static final String LIST_META = META + "ListMeta";
    static final String TIME = META + "Time";
    static final String OWNER_REFERENCE = META + "OwnerReference";
    static final String MANAGED_FIELDS_ENTRY = META + "ManagedFieldsEntry";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Schemas() {
    }

    /** Whether {@code group} is one of Kubernetes' own (as opposed to a custom resource's). */
    static boolean isBuiltin(String group) {
        return ApiPackages.isBuiltin(group);
    }

    /** The schema name of a kind: "io.k8s.api.core.v1.Pod", "com.example.stable.v1.CronTab". */
    static String name(GroupVersionKind gvk) {
        return ApiPackages.of(gvk.group()) + "." + gvk.version() + "." + gvk.kind();
    }

    /** How a flavour of OpenAPI points at a named schema. */
    enum Flavour {
        /** OpenAPI 3: {@code #/components/schemas/...}, described references wrapped in allOf as upstream. */
        V3("#/components/schemas/"),
        /** Swagger 2: {@code #/definitions/...}, plain references. */
        V2("#/definitions/");

        private final String prefix;

        Flavour(String prefix) {
            this.prefix = prefix;
        }

        ObjectNode ref(String schema) {
            ObjectNode node = NODES.objectNode();
            node.put("$ref", prefix + schema);
            return node;
        }

        /** A property that is a reference, with its own description. */
        ObjectNode describedRef(String schema, String description) {
            if (this == V2) {
                ObjectNode node = ref(schema);
                node.put("description", description);
                return node;
            }
            ObjectNode node = NODES.objectNode();
            node.putArray("allOf").add(ref(schema));
            node.put("description", description);
            return node;
        }
    }

    /**
     * Every schema one group version's document refers to: its kinds and their lists, kinds its subresources read
     * or write in other groups (Scale, Eviction, TokenRequest...), everything they contain, and the meta types.
     * A built-in kind's schema is its generated definition ({@code generated}) when there is one, a minimal one
     * otherwise; a custom resource's is the one it publishes.
     *
     * @param group      the document's group
     * @param version    the document's version
     * @param types      the document's types
     * @param extraKinds kinds referred to by subresource operations
     * @param published  the schema a type publishes itself (a custom resource's, from its CRD), if any
     * @param generated  the generated definitions of built-in kinds
     */
    static Map<String, ObjectNode> forGroupVersion(String group, String version, List<ResourceType> types,
            Collection<GroupVersionKind> extraKinds, Flavour flavour,
            java.util.function.Function<ResourceType, java.util.Optional<JsonNode>> published,
            GeneratedSchemas generated) {
        Map<String, ObjectNode> schemas = new TreeMap<>();
        Set<GroupVersionKind> kinds = new LinkedHashSet<>();
        List<String> roots = new ArrayList<>(generated.common());
        for (ResourceType type : types) {
            GroupVersionKind gvk = new GroupVersionKind(type.group(), type.version(), type.kind());
            java.util.Optional<JsonNode> own = published.apply(type);
            if (own.isPresent() && own.get().isObject()) {
                schemas.put(name(gvk), publishedSchema(gvk, (ObjectNode) own.get(), flavour));
            } else {
                kinds.add(gvk);
            }
            if (type.supports("list")) {
                GroupVersionKind list = new GroupVersionKind(type.group(), type.version(), type.listKind());
                java.util.Optional<String> generatedList = own.isPresent() ? java.util.Optional.empty()
                        : generated.nameOf(list);
                if (generatedList.isPresent()) {
                    roots.add(generatedList.get());
                } else {
                    schemas.put(name(list), listSchema(gvk, type.listKind(), flavour));
                }
            }
        }
        kinds.addAll(extraKinds);
        for (GroupVersionKind gvk : kinds) {
            java.util.Optional<String> generatedKind = generated.nameOf(gvk);
            if (generatedKind.isPresent()) {
                roots.add(generatedKind.get());
            }
        }
        generated.closure(roots, flavour).forEach(schemas::putIfAbsent);
        for (GroupVersionKind gvk : kinds) {
            schemas.putIfAbsent(name(gvk), kindSchema(gvk, flavour));
        }
        GroupVersionKind here = new GroupVersionKind(group, version, "");
        schemas.putIfAbsent(OBJECT_META, objectMeta(flavour));
        schemas.putIfAbsent(LIST_META, listMeta());
        schemas.putIfAbsent(TIME, time());
        schemas.putIfAbsent(OWNER_REFERENCE, ownerReference());
        schemas.putIfAbsent(MANAGED_FIELDS_ENTRY, managedFieldsEntry(flavour));
        schemas.put(Operations.STATUS_SCHEMA, status(flavour));
        schemas.put(Operations.DELETE_OPTIONS_SCHEMA, deleteOptions(here));
        schemas.put(Operations.PATCH_SCHEMA, patch());
        schemas.put(Operations.WATCH_EVENT_SCHEMA, watchEvent(here));
        schemas.put(Operations.RESOURCE_LIST_SCHEMA, resourceList());
        return schemas;
    }

    /**
     * A custom resource's own schema, completed as apiextensions' OpenAPI builder does: apiVersion, kind and
     * metadata (ObjectMeta) described, and the kind's {@code x-kubernetes-group-version-kind}.
     */
    private static ObjectNode publishedSchema(GroupVersionKind gvk, ObjectNode own, Flavour flavour) {
        ObjectNode schema = own.deepCopy();
        ObjectNode properties = schema.withObjectProperty("properties");
        properties.set("apiVersion", string(API_VERSION_DOC));
        properties.set("kind", string(KIND_DOC));
        ObjectNode metadata = flavour.describedRef(OBJECT_META, "Standard object's metadata.");
        if (flavour == Flavour.V3) {
            metadata.putObject("default");
        }
        properties.set("metadata", metadata);
        schema.put("type", "object");
        schema.set("x-kubernetes-group-version-kind", gvks(List.of(gvk)));
        return schema;
    }

    private static ObjectNode kindSchema(GroupVersionKind gvk, Flavour flavour) {
        ObjectNode schema = NODES.objectNode();
        schema.put("description", gvk.kind() + " (" + gvk.apiVersion() + "). Skiff publishes no field-level schema "
                + "for this kind: fields other than apiVersion, kind and metadata are accepted as they are; see the "
                + "Kubernetes API reference for their meaning.");
        ObjectNode properties = schema.putObject("properties");
        properties.set("apiVersion", string(API_VERSION_DOC));
        properties.set("kind", string(KIND_DOC));
        ObjectNode metadata = flavour.describedRef(OBJECT_META, "Standard object's metadata.");
        if (flavour == Flavour.V3) {
            metadata.putObject("default");
        }
        properties.set("metadata", metadata);
        schema.put("type", "object");
        schema.set("x-kubernetes-group-version-kind", gvks(List.of(gvk)));
        schema.put("x-kubernetes-preserve-unknown-fields", true);
        return schema;
    }

    private static ObjectNode listSchema(GroupVersionKind item, String listKind, Flavour flavour) {
        ObjectNode schema = NODES.objectNode();
        schema.put("description", listKind + " is a list of " + item.kind() + " objects.");
        ObjectNode properties = schema.putObject("properties");
        properties.set("apiVersion", string(API_VERSION_DOC));
        ObjectNode items = properties.putObject("items");
        items.put("description", "List of " + item.kind() + " objects.");
        items.set("items", flavour.ref(name(item)));
        items.put("type", "array");
        properties.set("kind", string(KIND_DOC));
        properties.set("metadata", flavour.describedRef(LIST_META, "Standard list metadata."));
        schema.putArray("required").add("items");
        schema.put("type", "object");
        schema.set("x-kubernetes-group-version-kind",
                gvks(List.of(new GroupVersionKind(item.group(), item.version(), listKind))));
        return schema;
    }

    private static final String API_VERSION_DOC = "APIVersion defines the versioned schema of this representation "
            + "of an object.";
    private static final String KIND_DOC = "Kind is a string value representing the REST resource this object "
            + "represents.";

    private static ObjectNode objectMeta(Flavour flavour) {
        ObjectNode schema = NODES.objectNode();
        schema.put("description", "ObjectMeta is metadata that all persisted resources must have, which includes "
                + "all objects users must create.");
        ObjectNode p = schema.putObject("properties");
        p.set("annotations", stringMap("Annotations is an unstructured key value map stored with a resource."));
        p.set("creationTimestamp", flavour.describedRef(TIME, "When this object was created. Read-only."));
        p.set("deletionGracePeriodSeconds", integer("int64",
                "Seconds allowed for this object to gracefully terminate before it will be removed. Read-only."));
        p.set("deletionTimestamp", flavour.describedRef(TIME, "When this object will be deleted. Read-only."));
        ObjectNode finalizers = array(string(null), "Must be empty before the object is deleted from the registry.");
        finalizers.put("x-kubernetes-list-type", "set");
        finalizers.put("x-kubernetes-patch-strategy", "merge");
        p.set("finalizers", finalizers);
        p.set("generateName", string("Prefix the server uses to generate a unique name if name is not provided."));
        p.set("generation", integer("int64", "A sequence number representing a specific generation of the desired "
                + "state. Read-only."));
        p.set("labels", stringMap("Map of string keys and values to organize and categorize objects."));
        ObjectNode managed = array(flavour.ref(MANAGED_FIELDS_ENTRY), "Which manager owns which fields.");
        managed.put("x-kubernetes-list-type", "atomic");
        p.set("managedFields", managed);
        p.set("name", string("Name must be unique within a namespace."));
        p.set("namespace", string("The namespace an object is in. Cluster-scoped objects have none."));
        ObjectNode owners = array(flavour.ref(OWNER_REFERENCE), "Objects this object depends on.");
        owners.put("x-kubernetes-list-type", "map");
        owners.put("x-kubernetes-patch-merge-key", "uid");
        owners.put("x-kubernetes-patch-strategy", "merge");
        ArrayNode keys = NODES.arrayNode().add("uid");
        owners.set("x-kubernetes-list-map-keys", keys);
        p.set("ownerReferences", owners);
        p.set("resourceVersion", string("An opaque value that represents the internal version of this object. "
                + "Read-only."));
        p.set("selfLink", string("Deprecated: always empty."));
        p.set("uid", string("The unique in time and space value for this object. Read-only."));
        schema.put("type", "object");
        return schema;
    }

    private static ObjectNode listMeta() {
        ObjectNode schema = NODES.objectNode();
        schema.put("description", "ListMeta describes metadata that synthetic resources must have.");
        ObjectNode p = schema.putObject("properties");
        p.set("continue", string("Set if the user should send another request to retrieve more results."));
        p.set("remainingItemCount", integer("int64", "The number of subsequent items in the list."));
        p.set("resourceVersion", string("The resource version the list is consistent with."));
        p.set("selfLink", string("Deprecated: always empty."));
        schema.put("type", "object");
        return schema;
    }

    private static ObjectNode time() {
        ObjectNode schema = string("Time is a timestamp in RFC 3339 form, UTC, in seconds.");
        schema.put("format", "date-time");
        return schema;
    }

    private static ObjectNode ownerReference() {
        ObjectNode schema = NODES.objectNode();
        schema.put("description", "OwnerReference identifies an owning object, in the same namespace.");
        ObjectNode p = schema.putObject("properties");
        p.set("apiVersion", string("API version of the referent."));
        p.set("blockOwnerDeletion", bool("Whether the owner cannot be deleted before this object is removed."));
        p.set("controller", bool("Whether this reference points to the managing controller."));
        p.set("kind", string("Kind of the referent."));
        p.set("name", string("Name of the referent."));
        p.set("uid", string("UID of the referent."));
        ArrayNode required = schema.putArray("required");
        List.of("apiVersion", "kind", "name", "uid").forEach(required::add);
        schema.put("type", "object");
        schema.put("x-kubernetes-map-type", "atomic");
        return schema;
    }

    private static ObjectNode managedFieldsEntry(Flavour flavour) {
        ObjectNode schema = NODES.objectNode();
        schema.put("description", "ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the "
                + "resource that the fieldset applies to.");
        ObjectNode p = schema.putObject("properties");
        p.set("apiVersion", string("The version of the resource this field set applies to."));
        p.set("fieldsType", string("The discriminator for the format of fieldsV1: \"FieldsV1\"."));
        ObjectNode fields = NODES.objectNode();
        fields.put("description", "The set of fields owned.");
        fields.put("type", "object");
        fields.put("x-kubernetes-preserve-unknown-fields", true);
        p.set("fieldsV1", fields);
        p.set("manager", string("The identifier of the workflow managing these fields."));
        p.set("operation", string("The operation that made this entry: 'Apply' or 'Update'."));
        p.set("subresource", string("The subresource used to update the object, if any."));
        p.set("time", flavour.describedRef(TIME, "When this entry was last changed."));
        schema.put("type", "object");
        return schema;
    }

    private static ObjectNode status(Flavour flavour) {
        ObjectNode schema = NODES.objectNode();
        schema.put("description", "Status is a return value for calls that don't return other objects.");
        ObjectNode p = schema.putObject("properties");
        p.set("apiVersion", string(API_VERSION_DOC));
        p.set("code", integer("int32", "Suggested HTTP return code for this status, 0 if not set."));
        ObjectNode details = NODES.objectNode();
        details.put("description", "Extended data associated with the reason.");
        details.put("type", "object");
        details.put("x-kubernetes-preserve-unknown-fields", true);
        p.set("details", details);
        p.set("kind", string(KIND_DOC));
        p.set("message", string("A human-readable description of the status of this operation."));
        p.set("metadata", flavour.describedRef(LIST_META, "Standard list metadata."));
        p.set("reason", string("A machine-readable description of why this operation is in the \"Failure\" "
                + "status."));
        p.set("status", string("Status of the operation. One of: \"Success\" or \"Failure\"."));
        schema.put("type", "object");
        schema.set("x-kubernetes-group-version-kind", gvks(List.of(new GroupVersionKind("", "v1", "Status"))));
        return schema;
    }

    private static ObjectNode deleteOptions(GroupVersionKind here) {
        ObjectNode schema = NODES.objectNode();
        schema.put("description", "DeleteOptions may be provided when deleting an API object.");
        ObjectNode p = schema.putObject("properties");
        p.set("apiVersion", string(API_VERSION_DOC));
        p.set("dryRun", array(string(null), "When present, indicates that modifications should not be persisted."));
        p.set("gracePeriodSeconds", integer("int64", "The duration in seconds before the object should be deleted."));
        p.set("ignoreStoreReadErrorWithClusterBreakingPotential", bool("Unsafe deletion of a corrupt object."));
        p.set("kind", string(KIND_DOC));
        p.set("orphanDependents", bool("Deprecated: please use the PropagationPolicy."));
        ObjectNode preconditions = NODES.objectNode();
        preconditions.put("description", "Must be fulfilled before a deletion is carried out.");
        ObjectNode pp = preconditions.putObject("properties");
        pp.set("resourceVersion", string("Specifies the target ResourceVersion"));
        pp.set("uid", string("Specifies the target UID."));
        preconditions.put("type", "object");
        p.set("preconditions", preconditions);
        p.set("propagationPolicy", string("Whether and how garbage collection will be performed."));
        schema.put("type", "object");
        schema.set("x-kubernetes-group-version-kind", gvks(metaKinds(here, "DeleteOptions")));
        return schema;
    }

    private static ObjectNode patch() {
        ObjectNode schema = NODES.objectNode();
        schema.put("description", "Patch is provided to give a concrete name and type to the Kubernetes PATCH "
                + "request body.");
        schema.put("type", "object");
        return schema;
    }

    private static ObjectNode watchEvent(GroupVersionKind here) {
        ObjectNode schema = NODES.objectNode();
        schema.put("description", "Event represents a single event to a watched resource.");
        ObjectNode p = schema.putObject("properties");
        ObjectNode object = NODES.objectNode();
        object.put("description", "The object: for ADDED and MODIFIED its new state, for DELETED its last state, "
                + "for BOOKMARK its resourceVersion, for ERROR a Status.");
        object.put("type", "object");
        object.put("x-kubernetes-preserve-unknown-fields", true);
        p.set("object", object);
        p.set("type", string("ADDED, MODIFIED, DELETED, BOOKMARK or ERROR."));
        ArrayNode required = schema.putArray("required");
        required.add("type");
        required.add("object");
        schema.put("type", "object");
        schema.set("x-kubernetes-group-version-kind", gvks(metaKinds(here, "WatchEvent")));
        return schema;
    }

    private static ObjectNode resourceList() {
        ObjectNode schema = NODES.objectNode();
        schema.put("description", "APIResourceList is a list of APIResource, it is used to expose the name of the "
                + "resources supported in a specific group and version, and if the resource is namespaced.");
        ObjectNode p = schema.putObject("properties");
        p.set("apiVersion", string(API_VERSION_DOC));
        p.set("groupVersion", string("groupVersion is the group and version this APIResourceList is for."));
        p.set("kind", string(KIND_DOC));
        ObjectNode resources = NODES.objectNode();
        resources.put("description", "resources contains the name of the resources and if they are namespaced.");
        ObjectNode item = NODES.objectNode();
        item.put("type", "object");
        item.put("x-kubernetes-preserve-unknown-fields", true);
        resources.set("items", item);
        resources.put("type", "array");
        p.set("resources", resources);
        ArrayNode required = schema.putArray("required");
        required.add("groupVersion");
        required.add("resources");
        schema.put("type", "object");
        schema.set("x-kubernetes-group-version-kind", gvks(List.of(new GroupVersionKind("", "v1",
                "APIResourceList"))));
        return schema;
    }

    /** Meta kinds are registered in every group version; upstream lists them all, Skiff core's and this one's. */
    private static List<GroupVersionKind> metaKinds(GroupVersionKind here, String kind) {
        Set<GroupVersionKind> kinds = new LinkedHashSet<>();
        kinds.add(new GroupVersionKind("", "v1", kind));
        kinds.add(new GroupVersionKind(here.group(), here.version(), kind));
        return List.copyOf(kinds);
    }

    private static ArrayNode gvks(List<GroupVersionKind> kinds) {
        ArrayNode array = NODES.arrayNode();
        for (GroupVersionKind gvk : kinds) {
            ObjectNode node = array.addObject();
            node.put("group", gvk.group());
            node.put("kind", gvk.kind());
            node.put("version", gvk.version());
        }
        return array;
    }

    private static ObjectNode string(String description) {
        ObjectNode node = NODES.objectNode();
        if (description != null) {
            node.put("description", description);
        }
        node.put("type", "string");
        return node;
    }

    private static ObjectNode bool(String description) {
        ObjectNode node = NODES.objectNode();
        node.put("description", description);
        node.put("type", "boolean");
        return node;
    }

    private static ObjectNode integer(String format, String description) {
        ObjectNode node = NODES.objectNode();
        node.put("description", description);
        node.put("format", format);
        node.put("type", "integer");
        return node;
    }

    private static ObjectNode array(ObjectNode items, String description) {
        ObjectNode node = NODES.objectNode();
        node.put("description", description);
        node.set("items", items);
        node.put("type", "array");
        return node;
    }

    private static ObjectNode stringMap(String description) {
        ObjectNode node = NODES.objectNode();
        node.set("additionalProperties", string(null));
        node.put("description", description);
        node.put("type", "object");
        return node;
    }
}
