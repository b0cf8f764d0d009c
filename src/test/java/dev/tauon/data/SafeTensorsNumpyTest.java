package dev.tauon.data;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

// The independent reader: Python's json and numpy.frombuffer read a file we wrote, and print each
// tensor's name, shape and float32 bits. Skipped when python3 with numpy is not installed.
class SafeTensorsNumpyTest {
    @TempDir Path dir;

    static final String READER = """
            import json, struct, sys
            import numpy as np
            raw = open(sys.argv[1], 'rb').read()
            (n,) = struct.unpack('<Q', raw[:8])
            text = raw[8:8 + n].decode('utf-8')
            assert n % 8 == 0 and text.rstrip(' ').endswith('}'), 'header padding'
            header = json.loads(text)
            print('meta', json.dumps(header.pop('__metadata__', {}), sort_keys=True, ensure_ascii=True))
            data = raw[8 + n:]
            for name, t in header.items():
                b, e = t['data_offsets']
                assert t['dtype'] == 'F32'
                a = np.frombuffer(data[b:e], dtype='<f4').reshape(t['shape'])
                print(json.dumps(name, ensure_ascii=True), list(a.shape), ' '.join('%08x' % x for x in a.ravel().view('<u4')))
            """;

    @Test void numpyReadsWhatWeWrite() throws IOException, InterruptedException {
        Assumptions.assumeTrue(hasNumpy(), "python3 with numpy is not installed");
        Path f = dir.resolve("w.safetensors");
        SafeTensors.write(f, Map.of("format", "pt", "seed", "7"), SafeTensorsTest.SAMPLE);
        StringBuilder want = new StringBuilder("meta {\"format\": \"pt\", \"seed\": \"7\"}\n");
        for (SafeTensors.Entry e : SafeTensorsTest.SAMPLE) {
            want.append(e.name().equals("héad.\"q\"\\") ? "\"h\\u00e9ad.\\\"q\\\"\\\\\"" : "\"" + e.name() + "\"");
            want.append(' ').append(java.util.Arrays.toString(e.shape())).append(' ');
            List<String> hex = java.util.Arrays.stream(SafeTensorsTest.bits(e.data())).mapToObj(b -> String.format("%08x", b)).toList();
            want.append(String.join(" ", hex)).append('\n');
        }
        assertEquals(want.toString().strip(), python(READER, f.toString()));
    }

    static boolean hasNumpy() {
        try {
            return python("import numpy").isEmpty();
        } catch (IOException | InterruptedException | IllegalStateException e) {
            return false;
        }
    }

    static String python(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("python3 failed: " + out);
        return out.strip();
    }
}
