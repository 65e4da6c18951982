package dev.skiff.apiserver.openapi.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.apiserver.openapi.models.JavaType.ArrayType;
import dev.skiff.apiserver.openapi.models.JavaType.ClassType;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassFileReaderTest {

    private static ClassFile read(String resource) throws Exception {
        try (InputStream in = ClassFileReaderTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return ClassFileReader.read(in.readAllBytes());
        }
    }

    @Test
    void readsFieldsSignaturesAnnotationsAndGetters() throws Exception {
        ClassFile container = read(ModelClasses.MODELS + "V1Container.class");
        assertThat(container.name()).isEqualTo("io/kubernetes/client/openapi/models/V1Container");
        assertThat(ClassFile.find(container.annotations(), "Lio/swagger/annotations/ApiModel;").orElseThrow()
                .string("description")).contains("A single application container that you want to run within a pod.");
        ClassFile.Field env = container.fields().stream().filter(f -> f.name().equals("env")).findFirst()
                .orElseThrow();
        assertThat(env.descriptor()).isEqualTo("Ljava/util/List;");
        assertThat(env.signature()).isEqualTo("Ljava/util/List<Lio/kubernetes/client/openapi/models/V1EnvVar;>;");
        assertThat(ClassFile.find(env.annotations(), "Lcom/google/gson/annotations/SerializedName;").orElseThrow()
                .string("value")).contains("env");
        ClassFile.Method getName = container.methods().stream().filter(m -> m.name().equals("getName"))
                .findFirst().orElseThrow();
        assertThat(getName.returnsField()).isEqualTo("name");
        ClassFile.Annotation property = ClassFile.find(getName.annotations(),
                "Lio/swagger/annotations/ApiModelProperty;").orElseThrow();
        assertThat(property.bool("required", false)).isTrue();
        assertThat(property.string("value").orElseThrow()).startsWith("Name of the container");
        assertThat(container.methods().stream().filter(m -> m.name().equals("setName")).findFirst().orElseThrow()
                .returnsField()).isNull();
    }

    @Test
    void mapsJsonNamesThatAreNotJavaNames() throws Exception {
        ModelClass listMeta = ModelClasses.model("V1ListMeta", read(ModelClasses.MODELS + "V1ListMeta.class"));
        assertThat(listMeta.fields()).extracting(ModelClass.ModelField::jsonName)
                .containsExactly("continue", "remainingItemCount", "resourceVersion", "selfLink");
        assertThat(listMeta.fields().get(0).description()).startsWith("continue may be set");
    }

    @Test
    void parsesGenericSignatures() {
        assertThat(JavaType.parse("Ljava/util/Map<Ljava/lang/String;Ljava/util/List<Ljava/lang/String;>;>;"))
                .isEqualTo(new ClassType("java/util/Map", List.of(new ClassType("java/lang/String", List.of()),
                        new ClassType("java/util/List", List.of(new ClassType("java/lang/String", List.of()))))));
        assertThat(JavaType.parse("Ljava/util/Map<Ljava/lang/String;[B>;")).isEqualTo(new ClassType("java/util/Map",
                List.of(new ClassType("java/lang/String", List.of()), new ArrayType(new JavaType.Primitive('B')))));
        assertThat(JavaType.parse("Ljava/util/List<*>;")).isEqualTo(new ClassType("java/util/List",
                List.of(new ClassType("java/lang/Object", List.of()))));
        assertThat(JavaType.parse("J")).isEqualTo(new JavaType.Primitive('J'));
        assertThatThrownBy(() -> JavaType.parse("Q")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesWhatIsNotAClassFile() {
        assertThatThrownBy(() -> ClassFileReader.read(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
