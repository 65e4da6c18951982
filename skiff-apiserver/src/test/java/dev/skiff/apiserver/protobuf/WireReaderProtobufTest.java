package dev.skiff.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WireReaderProtobufTest {

    @Test
    void readsTagsAndEveryWireType() {
        byte[] bytes = new ProtoWriter()
                .varint(1, 150)
                .fixed64(2, 0x0102030405060708L)
                .string(3, "héllo")
                .fixed32(4, 0xCAFEBABE)
                .toByteArray();
        WireReader in = new WireReader(bytes);

        int tag = in.readTag();
        assertThat(WireReader.fieldNumber(tag)).isEqualTo(1);
        assertThat(WireReader.wireType(tag)).isEqualTo(WireReader.VARINT);
        assertThat(in.readVarint()).isEqualTo(150);
        tag = in.readTag();
        assertThat(WireReader.wireType(tag)).isEqualTo(WireReader.FIXED64);
        assertThat(in.readFixed64()).isEqualTo(0x0102030405060708L);
        tag = in.readTag();
        assertThat(WireReader.fieldNumber(tag)).isEqualTo(3);
        assertThat(in.readString()).isEqualTo("héllo");
        tag = in.readTag();
        assertThat(WireReader.wireType(tag)).isEqualTo(WireReader.FIXED32);
        assertThat(in.readFixed32()).isEqualTo(0xCAFEBABE);
        assertThat(in.readTag()).isZero();
        assertThat(in.atEnd()).isTrue();
    }

    @Test
    void varintsAreLittleEndianBase128() {
        // 150 = 0x96 0x01, the protobuf documentation's example; -1 as int64 takes ten bytes
        assertThat(new WireReader(new byte[] {(byte) 0x96, 0x01}).readVarint()).isEqualTo(150);
        ProtoWriter minusOne = new ProtoWriter();
        minusOne.rawVarint(-1L);
        assertThat(minusOne.toByteArray()).hasSize(10);
        assertThat(new WireReader(minusOne.toByteArray()).readVarint()).isEqualTo(-1L);
    }

    @Test
    void skipsEveryWireTypeButGroups() {
        byte[] bytes = new ProtoWriter().varint(1, 300).fixed64(2, 7).string(3, "x").fixed32(4, 9).varint(5, 1)
                .toByteArray();
        WireReader in = new WireReader(bytes);
        for (int i = 0; i < 4; i++) {
            in.skip(WireReader.wireType(in.readTag()));
        }
        in.readTag();
        assertThat(in.readVarint()).isEqualTo(1);

        WireReader group = new WireReader(new byte[] {0x0b}); // field 1, start group
        assertThatThrownBy(() -> group.skip(WireReader.wireType(group.readTag())))
                .isInstanceOf(MalformedProtobufException.class).hasMessageContaining("wire type 3");
    }

    @Test
    void nestedReadersStayInsideTheirSlice() {
        byte[] bytes = new ProtoWriter().message(1, new ProtoWriter().varint(1, 5)).varint(2, 6).toByteArray();
        WireReader in = new WireReader(bytes);
        in.readTag();
        WireReader inner = in.readMessage();
        inner.readTag();
        assertThat(inner.readVarint()).isEqualTo(5);
        assertThat(inner.readTag()).isZero();
        in.readTag();
        assertThat(in.readVarint()).isEqualTo(6);
    }

    @Test
    void truncatedInputIsMalformedNotAnIndexError() {
        assertThatThrownBy(() -> new WireReader(new byte[] {(byte) 0x80}).readVarint())
                .isInstanceOf(MalformedProtobufException.class).hasMessageContaining("unexpected end");
        assertThatThrownBy(() -> new WireReader(new byte[] {0x05, 'a', 'b'}).readString())
                .isInstanceOf(MalformedProtobufException.class).hasMessageContaining("unexpected end");
        assertThatThrownBy(() -> new WireReader(new byte[] {1, 2, 3}).readFixed64())
                .isInstanceOf(MalformedProtobufException.class);
        assertThatThrownBy(() -> new WireReader(new byte[] {1}).readFixed32())
                .isInstanceOf(MalformedProtobufException.class);
        byte[] eleven = new byte[11];
        java.util.Arrays.fill(eleven, (byte) 0xFF);
        assertThatThrownBy(() -> new WireReader(eleven).readVarint())
                .isInstanceOf(MalformedProtobufException.class).hasMessageContaining("longer than 10 bytes");
        assertThatThrownBy(() -> new WireReader(new byte[] {0x00}).readTag())
                .isInstanceOf(MalformedProtobufException.class).hasMessageContaining("invalid field tag");
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        byte[] bytes = new ProtoWriter().bytes(1, new byte[] {'a', (byte) 0xFF, 'b'}).toByteArray();
        WireReader in = new WireReader(bytes);
        in.readTag();
        assertThat(in.readString()).isEqualTo("a\uFFFDb");
    }
}
