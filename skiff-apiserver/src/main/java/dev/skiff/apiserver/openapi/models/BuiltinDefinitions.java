package dev.skiff.apiserver.openapi.models;

import dev.skiff.apiserver.discovery.GroupVersionKind;
import dev.skiff.apiserver.discovery.Subresource;
import dev.skiff.apiserver.openapi.models.Definition.ObjectDefinition;
import dev.skiff.apiserver.openapi.models.Definition.Property;
import dev.skiff.apiserver.openapi.models.Definition.ScalarDefinition;
import dev.skiff.apiserver.openapi.models.JavaType.ArrayType;
import dev.skiff.apiserver.openapi.models.JavaType.ClassType;
import dev.skiff.apiserver.openapi.models.ModelClass.ModelField;
import dev.skiff.apiserver.openapi.models.PropertyType.AnyValue;
import dev.skiff.apiserver.openapi.models.PropertyType.ArrayOf;
import dev.skiff.apiserver.openapi.models.PropertyType.MapOf;
import dev.skiff.apiserver.openapi.models.PropertyType.Primitive;
import dev.skiff.apiserver.openapi.models.PropertyType.Reference;
import dev.skiff.apiserver.resource.BuiltinResources;
import dev.skiff.apiserver.resource.ResourceType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAPI definitions of the built-in kinds and everything they contain, generated from the Kubernetes Java
 * client's models ({@link ModelClasses}) and named as upstream names them.
 *
 * <p><strong>Naming.</strong> A model's version and Go type come from its class name ({@link ModelNames}); its
 * group from, in order: the class's prefix ({@code CoreV1EndpointPort}); the kind it is the model of (a root);
 * the meta/v1 package for the shared meta types; else the groups of the kinds that contain it: core when a core
 * kind does (PodTemplateSpec is core/v1 though Deployments contain it), otherwise the only (or first) other group.
 *
 * <p><strong>Types.</strong> Strings, int32/int64 integers, doubles and booleans as such; {@code byte[]} as a string
 * of format {@code byte}; lists and maps by their element types; {@code OffsetDateTime} as meta/v1 Time;
 * the client's IntOrString and Quantity as upstream's {@code intstr.IntOrString} and {@code resource.Quantity}
 * definitions; {@code Object} (raw extensions, JSON values) as any value. MicroTime fields read as Time (both are
 * RFC 3339 strings), and no enum lists, patch strategies or list types are known here (the models do not keep them).
 *
 * <p>Immutable and thread-safe. {@link #standard()} is generated once per JVM, on first use (it reads a few hundred
 * class files: a fraction of a second).
 */
public final class BuiltinDefinitions {

    private static final Logger LOG = LoggerFactory.getLogger(BuiltinDefinitions.class);

    public static final String TIME = ApiPackages.META + ".Time";
    public static final String OBJECT_META = ApiPackages.META + ".ObjectMeta";
    public static final String LIST_META = ApiPackages.META + ".ListMeta";
    public static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    public static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";

    private final Map<String, Definition> definitions;
    private final Map<GroupVersionKind, String> kinds;

    private BuiltinDefinitions(Map<String, Definition> definitions, Map<GroupVersionKind, String> kinds) {
        this.definitions = Collections.unmodifiableMap(new TreeMap<>(definitions));
        this.kinds = Map.copyOf(kinds);
    }

    /**
     * The definitions of every kind Skiff serves built in ({@link BuiltinResources}), their lists and the kinds
     * their subresources read or write; empty when the Java client's models are not on the class path.
     */
    public static Optional<BuiltinDefinitions> standard() {
        return Standard.INSTANCE;
    }

    /** Generated on first use of {@link #standard()}, by the JVM's class initialisation (once, thread-safe). */
    private static final class Standard {

        static final Optional<BuiltinDefinitions> INSTANCE = load();

        private static Optional<BuiltinDefinitions> load() {
            ModelClasses models = new ModelClasses(BuiltinDefinitions.class.getClassLoader());
            if (!models.available()) {
                LOG.warn("the Kubernetes Java client's models are not on the class path: OpenAPI schemas of "
                        + "built-in kinds stay minimal");
                return Optional.empty();
            }
            long start = System.nanoTime();
            BuiltinDefinitions generated = generate(models, standardKinds());
            LOG.debug("generated {} OpenAPI definitions of built-in kinds in {} ms", generated.definitions.size(),
                    (System.nanoTime() - start) / 1_000_000);
            return Optional.of(generated);
        }
    }

    /** The built-in kinds, their lists and their subresources' kinds. */
    static List<GroupVersionKind> standardKinds() {
        Set<GroupVersionKind> roots = new LinkedHashSet<>();
        for (ResourceType type : BuiltinResources.all()) {
            roots.add(new GroupVersionKind(type.group(), type.version(), type.kind()));
            if (type.supports("list")) {
                roots.add(new GroupVersionKind(type.group(), type.version(), type.listKind()));
            }
            for (String name : type.subresources()) {
                Subresource sub = Subresource.of(type, name);
                if (sub.access() != Subresource.Access.CONNECT && sub.access() != Subresource.Access.READ_TEXT) {
                    roots.add(sub.kind());
                }
            }
        }
        return List.copyOf(roots);
    }

    /** The definitions of {@code roots} (kinds) and everything they contain, from {@code models}. */
    public static BuiltinDefinitions generate(ModelClasses models, Collection<GroupVersionKind> roots) {
        Map<String, List<GroupVersionKind>> kindsOfClass = new LinkedHashMap<>();
        Map<String, Set<String>> groupsReaching = new LinkedHashMap<>();
        for (GroupVersionKind root : roots) {
            Optional<ModelClass> model = ModelNames.candidates(root).stream().map(models::find)
                    .flatMap(Optional::stream).findFirst();
            if (model.isEmpty()) {
                LOG.debug("no model of {} in the Java client", root);
                continue;
            }
            kindsOfClass.computeIfAbsent(model.get().simpleName(), c -> new ArrayList<>()).add(root);
            reach(models, model.get().simpleName(), root.group(), groupsReaching);
        }
        Map<String, String> names = new HashMap<>();
        for (Map.Entry<String, Set<String>> entry : groupsReaching.entrySet()) {
            name(entry.getKey(), kindsOfClass.get(entry.getKey()), entry.getValue())
                    .ifPresent(name -> names.put(entry.getKey(), name));
        }
        Map<String, Definition> definitions = new TreeMap<>();
        Map<GroupVersionKind, String> kinds = new HashMap<>();
        for (String simpleName : groupsReaching.keySet()) {
            String name = names.get(simpleName);
            if (name == null || definitions.containsKey(name)) {
                LOG.debug("model {} left out: no name or a duplicate ({})", simpleName, name);
                continue;
            }
            ModelClass model = models.find(simpleName).orElseThrow();
            List<GroupVersionKind> ownKinds = kindsOfClass.getOrDefault(simpleName, List.of());
            definitions.put(name, definition(name, model, ownKinds, names));
            ownKinds.forEach(gvk -> kinds.put(gvk, name));
        }
        for (Definition scalar : scalars()) {
            definitions.putIfAbsent(scalar.name(), scalar);
        }
        return new BuiltinDefinitions(definitions, kinds);
    }

    /** Marks every model {@code start} contains (and itself) as reached from a kind of {@code group}. */
    private static void reach(ModelClasses models, String start, String group, Map<String, Set<String>> reached) {
        Deque<String> pending = new ArrayDeque<>(List.of(start));
        while (!pending.isEmpty()) {
            String simpleName = pending.pop();
            Optional<ModelClass> model = models.find(simpleName);
            if (model.isEmpty() || !reached.computeIfAbsent(simpleName, c -> new TreeSet<>()).add(group)) {
                continue;
            }
            for (ModelField field : model.get().fields()) {
                modelsIn(field.type(), pending);
            }
        }
    }

    private static void modelsIn(JavaType type, Collection<String> into) {
        switch (type) {
            case ClassType c -> {
                if (c.name().startsWith(ModelClasses.MODELS)) {
                    into.add(c.simpleName());
                }
                c.arguments().forEach(a -> modelsIn(a, into));
            }
            case ArrayType a -> modelsIn(a.component(), into);
            case JavaType.Primitive p -> {
            }
        }
    }

    private static Optional<String> name(String simpleName, List<GroupVersionKind> ownKinds, Set<String> groups) {
        if (simpleName.equals("VersionInfo")) {
            return Optional.of("io.k8s.apimachinery.pkg.version.Info");
        }
        Optional<ModelNames.Parsed> parsed = ModelNames.parse(simpleName);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        ModelNames.Parsed p = parsed.get();
        String group;
        if (p.group() != null) {
            group = p.group();
        } else if (ownKinds != null && !ownKinds.isEmpty()) {
            group = ownKinds.get(0).group();
        } else if (p.version().equals("v1") && ModelNames.META_TYPES.contains(p.goType())) {
            return Optional.of(ApiPackages.META + "." + p.goType());
        } else if (ModelNames.CORE_TYPES_USED_ELSEWHERE.contains(p.goType()) || groups.contains("")) {
            group = "";
        } else {
            group = groups.iterator().next();
        }
        return Optional.of(ModelNames.definition(group, p.version(), p.goType()));
    }

    private static ObjectDefinition definition(String name, ModelClass model, List<GroupVersionKind> kinds,
            Map<String, String> names) {
        List<Property> properties = new ArrayList<>();
        List<String> required = new ArrayList<>();
        for (ModelField field : model.fields()) {
            PropertyType type = type(field.type(), names);
            properties.add(new Property(field.jsonName(), type, describe(field, type)));
            if (field.required()) {
                required.add(field.jsonName());
            }
        }
        properties.sort(Comparator.comparing(Property::name));
        return new ObjectDefinition(name, model.description(), properties, required, kinds);
    }

    /**
     * A field's description. The models keep none for fields whose type is another definition (the generator drops
     * descriptions beside {@code $ref}); the standard metadata fields get Skiff's short ones, the others stay
     * undescribed (kubectl explain shows the referenced type's description).
     */
    private static String describe(ModelField field, PropertyType type) {
        if (!field.description().isEmpty() || !field.jsonName().equals("metadata")) {
            return field.description();
        }
        if (type.equals(new Reference(OBJECT_META))) {
            return "Standard object's metadata.";
        }
        return type.equals(new Reference(LIST_META)) ? "Standard list metadata." : "";
    }

    private static PropertyType type(JavaType type, Map<String, String> names) {
        return switch (type) {
            case JavaType.Primitive p -> primitive(p.descriptor());
            case ArrayType a when a.component() instanceof JavaType.Primitive p && p.descriptor() == 'B' ->
                    new Primitive("string", "byte");
            case ArrayType a -> new ArrayOf(type(a.component(), names));
            case ClassType c -> classType(c, names);
        };
    }

    private static PropertyType primitive(char descriptor) {
        return switch (descriptor) {
            case 'Z' -> new Primitive("boolean", null);
            case 'J' -> new Primitive("integer", "int64");
            case 'D' -> new Primitive("number", "double");
            case 'F' -> new Primitive("number", "float");
            default -> new Primitive("integer", "int32");
        };
    }

    private static PropertyType classType(ClassType c, Map<String, String> names) {
        List<JavaType> args = c.arguments();
        return switch (c.name()) {
            case "java/lang/String" -> new Primitive("string", null);
            case "java/lang/Boolean" -> new Primitive("boolean", null);
            case "java/lang/Integer", "java/lang/Short", "java/lang/Byte" -> new Primitive("integer", "int32");
            case "java/lang/Long" -> new Primitive("integer", "int64");
            case "java/lang/Double" -> new Primitive("number", "double");
            case "java/lang/Float" -> new Primitive("number", "float");
            case "java/math/BigDecimal" -> new Primitive("number", null);
            case "java/time/OffsetDateTime" -> new Reference(TIME);
            case "io/kubernetes/client/custom/IntOrString" -> new Reference(INT_OR_STRING);
            case "io/kubernetes/client/custom/Quantity" -> new Reference(QUANTITY);
            case "java/util/List", "java/util/Set", "java/util/Collection" ->
                    new ArrayOf(args.isEmpty() ? new AnyValue() : type(args.get(0), names));
            case "java/util/Map" -> new MapOf(args.size() < 2 ? new AnyValue() : type(args.get(1), names));
            default -> {
                String name = c.name().startsWith(ModelClasses.MODELS) ? names.get(c.simpleName()) : null;
                yield name == null ? new AnyValue() : new Reference(name);
            }
        };
    }

    /** The value types with their own JSON form; the descriptions are Skiff's. */
    private static List<Definition> scalars() {
        return List.of(
                new ScalarDefinition(TIME, "Time is a point in time, written as an RFC 3339 date and time in "
                        + "UTC, to the second (for example 2024-05-01T12:00:00Z).", "string", "date-time", List.of()),
                new ScalarDefinition(INT_OR_STRING, "IntOrString holds a 32-bit integer or a string; JSON and YAML "
                        + "carry whichever of the two it is, so a port can be given by number or by name and a "
                        + "count as a number or a percentage.", "string", "int-or-string",
                        List.of("integer", "string")),
                new ScalarDefinition(QUANTITY, "Quantity is a decimal number with an optional unit suffix: a binary "
                        + "one (Ki, Mi, Gi, Ti, Pi, Ei), a decimal one (n, u, m, k, M, G, T, P, E) or an exponent "
                        + "(1e3). Examples: 250m CPU, 1.5Gi memory. It is written as a string, or a plain number.",
                        "string", null, List.of("string", "number")));
    }

    /** Every definition, by name. */
    public Map<String, Definition> all() {
        return definitions;
    }

    /** The definition named {@code name}. */
    public Optional<Definition> get(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    /** The name of the definition of {@code kind}, if it is one of the generated kinds. */
    public Optional<String> nameOf(GroupVersionKind kind) {
        return Optional.ofNullable(kinds.get(kind));
    }

    /** {@code names} and every definition they refer to, directly or not. */
    public Set<String> closure(Collection<String> names) {
        Set<String> seen = new TreeSet<>();
        Deque<String> pending = new ArrayDeque<>(names);
        while (!pending.isEmpty()) {
            String name = pending.pop();
            Definition definition = definitions.get(name);
            if (definition == null || !seen.add(name)) {
                continue;
            }
            if (definition instanceof ObjectDefinition object) {
                for (Property property : object.properties()) {
                    referencesIn(property.type(), pending);
                }
            }
        }
        return seen;
    }

    private static void referencesIn(PropertyType type, Collection<String> into) {
        switch (type) {
            case Reference r -> into.add(r.definition());
            case ArrayOf a -> referencesIn(a.items(), into);
            case MapOf m -> referencesIn(m.values(), into);
            case Primitive p -> {
            }
            case AnyValue a -> {
            }
        }
    }
}
