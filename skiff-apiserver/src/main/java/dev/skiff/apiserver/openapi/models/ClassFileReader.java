package dev.skiff.apiserver.openapi.models;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link ClassFile} from the bytes of a class file (JVM specification, chapter 4): the constant pool, the
 * fields with their {@code Signature} and {@code RuntimeVisibleAnnotations} attributes, the methods with their
 * annotations and, for simple getters, the field their {@code Code} returns.
 *
 * <p>Why not reflection: the models' annotations ({@code io.swagger.annotations.ApiModelProperty}, gson's
 * {@code SerializedName}) would be silently dropped without their libraries on the class path, and linking a model
 * class pulls in its gson adapters. Reading the bytes needs neither. Pure function; thread-safe.
 */
public final class ClassFileReader {

    private static final int MAGIC = 0xCAFEBABE;

    private ClassFileReader() {
    }

    /** Parses one class file. */
    public static ClassFile read(byte[] bytes) {
        try {
            return new Parser(bytes).parse();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable class file: " + e.getMessage(), e);
        }
    }

    private static final class Parser {

        private final DataInputStream in;
        private Object[] pool;

        Parser(byte[] bytes) {
            this.in = new DataInputStream(new ByteArrayInputStream(bytes));
        }

        ClassFile parse() throws IOException {
            if (in.readInt() != MAGIC) {
                throw new IOException("bad magic number");
            }
            in.readUnsignedShort(); // minor version
            in.readUnsignedShort(); // major version
            readPool();
            in.readUnsignedShort(); // access flags
            String name = className(in.readUnsignedShort());
            in.readUnsignedShort(); // super class
            int interfaces = in.readUnsignedShort();
            for (int i = 0; i < interfaces; i++) {
                in.readUnsignedShort();
            }
            List<ClassFile.Field> fields = new ArrayList<>();
            int fieldCount = in.readUnsignedShort();
            for (int i = 0; i < fieldCount; i++) {
                fields.add(field());
            }
            List<ClassFile.Method> methods = new ArrayList<>();
            int methodCount = in.readUnsignedShort();
            for (int i = 0; i < methodCount; i++) {
                methods.add(method());
            }
            List<ClassFile.Annotation> annotations = new ArrayList<>();
            int attributes = in.readUnsignedShort();
            for (int i = 0; i < attributes; i++) {
                String attribute = utf8(in.readUnsignedShort());
                int length = in.readInt();
                if (attribute.equals("RuntimeVisibleAnnotations")) {
                    annotations.addAll(annotations());
                } else {
                    in.skipNBytes(length);
                }
            }
            return new ClassFile(name, annotations, fields, methods);
        }

        /** Utf8 entries as String, Class/String/NameAndType/refs as int[] of their indexes, numbers boxed. */
        private void readPool() throws IOException {
            int count = in.readUnsignedShort();
            pool = new Object[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> pool[i] = in.readUTF();
                    case 3 -> pool[i] = in.readInt();
                    case 4 -> pool[i] = in.readFloat();
                    case 5 -> pool[i++] = in.readLong();
                    case 6 -> pool[i++] = in.readDouble();
                    case 7, 8, 16, 19, 20 -> pool[i] = new int[] {in.readUnsignedShort()};
                    case 9, 10, 11, 12, 17, 18 -> pool[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                    case 15 -> {
                        in.readUnsignedByte();
                        pool[i] = new int[] {in.readUnsignedShort()};
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag + " at " + i);
                }
            }
        }

        private String utf8(int index) {
            return (String) pool[index];
        }

        private String className(int index) {
            return utf8(((int[]) pool[index])[0]);
        }

        private ClassFile.Field field() throws IOException {
            int access = in.readUnsignedShort();
            String name = utf8(in.readUnsignedShort());
            String descriptor = utf8(in.readUnsignedShort());
            String signature = descriptor;
            List<ClassFile.Annotation> annotations = new ArrayList<>();
            int attributes = in.readUnsignedShort();
            for (int i = 0; i < attributes; i++) {
                String attribute = utf8(in.readUnsignedShort());
                int length = in.readInt();
                switch (attribute) {
                    case "Signature" -> signature = utf8(in.readUnsignedShort());
                    case "RuntimeVisibleAnnotations" -> annotations.addAll(annotations());
                    default -> in.skipNBytes(length);
                }
            }
            return new ClassFile.Field(name, descriptor, signature, access, annotations);
        }

        private ClassFile.Method method() throws IOException {
            in.readUnsignedShort(); // access flags
            String name = utf8(in.readUnsignedShort());
            String descriptor = utf8(in.readUnsignedShort());
            List<ClassFile.Annotation> annotations = new ArrayList<>();
            String returnsField = null;
            int attributes = in.readUnsignedShort();
            for (int i = 0; i < attributes; i++) {
                String attribute = utf8(in.readUnsignedShort());
                int length = in.readInt();
                switch (attribute) {
                    case "RuntimeVisibleAnnotations" -> annotations.addAll(annotations());
                    case "Code" -> {
                        byte[] code = in.readNBytes(length);
                        returnsField = getterField(code);
                    }
                    default -> in.skipNBytes(length);
                }
            }
            return new ClassFile.Method(name, descriptor, annotations, returnsField);
        }

        /**
         * The field a getter returns: its code starts {@code aload_0} (0x2a), {@code getfield} (0xb4) with a
         * Fieldref index. The Code attribute starts with max_stack, max_locals and code_length (8 bytes).
         */
        private String getterField(byte[] attribute) {
            if (attribute.length < 8 + 4 || (attribute[8] & 0xff) != 0x2a || (attribute[9] & 0xff) != 0xb4) {
                return null;
            }
            int fieldRef = ((attribute[10] & 0xff) << 8) | (attribute[11] & 0xff);
            if (!(pool[fieldRef] instanceof int[] ref) || ref.length != 2) {
                return null;
            }
            int[] nameAndType = (int[]) pool[ref[1]];
            return utf8(nameAndType[0]);
        }

        private List<ClassFile.Annotation> annotations() throws IOException {
            int count = in.readUnsignedShort();
            List<ClassFile.Annotation> annotations = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                annotations.add(annotation());
            }
            return annotations;
        }

        private ClassFile.Annotation annotation() throws IOException {
            String type = utf8(in.readUnsignedShort());
            int pairs = in.readUnsignedShort();
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < pairs; i++) {
                String element = utf8(in.readUnsignedShort());
                Object value = elementValue();
                if (value != null) {
                    values.put(element, value);
                }
            }
            return new ClassFile.Annotation(type, values);
        }

        /** A constant element value; null for the kinds {@link ClassFile.Annotation} leaves out (after skipping). */
        private Object elementValue() throws IOException {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 's' -> {
                    return utf8(in.readUnsignedShort());
                }
                case 'Z' -> {
                    return ((Integer) pool[in.readUnsignedShort()]) != 0;
                }
                case 'B', 'C', 'I', 'S', 'J', 'F', 'D' -> {
                    return pool[in.readUnsignedShort()];
                }
                case 'e' -> {
                    in.readUnsignedShort();
                    in.readUnsignedShort();
                    return null;
                }
                case 'c' -> {
                    in.readUnsignedShort();
                    return null;
                }
                case '@' -> {
                    annotation();
                    return null;
                }
                case '[' -> {
                    int count = in.readUnsignedShort();
                    for (int i = 0; i < count; i++) {
                        elementValue();
                    }
                    return null;
                }
                default -> throw new IOException("unknown annotation element tag " + (char) tag);
            }
        }
    }
}
