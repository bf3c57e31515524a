package org.leakscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium driven over the DevTools protocol with the JDK's own HTTP and WebSocket clients
 * (no WebDriver, no new dependency): opens a page from disk, records console errors, exceptions and every
 * network request the page makes, evaluates expressions in it and takes screenshots.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    private HeadlessChromium(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The browser: $CHROMIUM, else chromium, chromium-browser or google-chrome on the PATH; null when none. */
    static Path find() {
        String env = System.getenv("CHROMIUM");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return Path.of(env);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Starts a headless browser with its own profile in {@code profile} and nothing running in the background. */
    static HeadlessChromium start(Path exe, Path profile) throws IOException {
        List<String> cmd = List.of(exe.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + profile,
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--hide-scrollbars", "--window-size=1200,900", "about:blank");
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> ws = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        ws.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                ws.completeExceptionally(e);
            }
            ws.completeExceptionally(new IOException("chromium exited before listening"));
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        try {
            URI u = URI.create(ws.get(60, TimeUnit.SECONDS));
            return new HeadlessChromium(p, u.getPort());
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("chromium did not start: " + e, e);
        }
    }

    /** Opens a page (a new tab) on a file and waits until it has loaded. */
    Tab open(Path file) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/new?about:blank"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build();
        JsonNode target = JSON.readTree(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
        Tab tab = new Tab(target.get("id").asText());
        tab.socket = http.newWebSocketBuilder().buildAsync(URI.create(target.get("webSocketDebuggerUrl").asText()),
                tab).get(30, TimeUnit.SECONDS);
        for (String domain : List.of("Page", "Runtime", "Log", "Network")) {
            tab.call(domain + ".enable", Map.of());
        }
        tab.url = file.toAbsolutePath().toUri().toString();
        tab.loaded = new CompletableFuture<>();
        tab.call("Page.navigate", Map.of("url", tab.url));
        tab.loaded.get(60, TimeUnit.SECONDS);
        return tab;
    }

    /**
     * Stops the browser and every process it started: its helpers (renderers, the crash handler) can outlive the
     * main process for a moment and keep writing into the profile folder, which then cannot be deleted.
     */
    @Override
    public void close() {
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle h : helpers) {
                h.destroy();
                h.onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            helpers.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** One page: its console errors and network requests as they happen, and calls into it. */
    final class Tab implements WebSocket.Listener, AutoCloseable {
        private final String id;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();
        private final List<String> errors = new ArrayList<>();
        private final List<String> requests = new ArrayList<>();
        private WebSocket socket;
        private volatile String url;
        private volatile CompletableFuture<Void> loaded;

        private Tab(String id) {
            this.id = id;
        }

        /** Console errors, uncaught exceptions and log entries of level error (a CSP violation is one). */
        synchronized List<String> errors() {
            return List.copyOf(errors);
        }

        /** Every request the page made besides loading its own file. */
        synchronized List<String> requests() {
            return List.copyOf(requests);
        }

        JsonNode call(String method, Map<String, Object> params) throws Exception {
            int n = ids.incrementAndGet();
            ObjectNode msg = JSON.createObjectNode().put("id", n).put("method", method);
            msg.set("params", JSON.valueToTree(params));
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            pending.put(n, f);
            socket.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
            JsonNode r = f.get(60, TimeUnit.SECONDS);
            if (r.has("error")) {
                throw new IllegalStateException(method + ": " + r.get("error"));
            }
            return r.get("result");
        }

        /** A JavaScript expression's value in the page (JSON-serialisable values only). */
        JsonNode eval(String expression) throws Exception {
            JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                    "awaitPromise", true));
            if (r.has("exceptionDetails")) {
                throw new IllegalStateException(expression + ": " + r.get("exceptionDetails"));
            }
            return r.get("result").get("value");
        }

        /** A PNG of the whole page (up to 12,000 pixels tall). */
        void screenshot(Path png) throws Exception {
            JsonNode size = call("Page.getLayoutMetrics", Map.of()).get("cssContentSize");
            int h = (int) Math.min(12_000, Math.ceil(size.get("height").asDouble()));
            call("Emulation.setDeviceMetricsOverride", Map.of("width", 1200, "height", Math.max(h, 200),
                    "deviceScaleFactor", 1, "mobile", false));
            JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png"));
            Files.createDirectories(png.toAbsolutePath().getParent());
            Files.write(png, Base64.getDecoder().decode(shot.get("data").asText()));
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    handle(JSON.readTree(text));
                } catch (IOException e) {
                    synchronized (this) {
                        errors.add("unreadable DevTools message: " + e);
                    }
                }
            }
            ws.request(1);
            return null;
        }

        private void handle(JsonNode msg) {
            if (msg.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                if (f != null) {
                    f.complete(msg);
                }
                return;
            }
            String method = msg.path("method").asText();
            JsonNode p = msg.path("params");
            synchronized (this) {
                switch (method) {
                    case "Page.loadEventFired" -> {
                        if (loaded != null) {
                            loaded.complete(null);
                        }
                    }
                    case "Runtime.consoleAPICalled" -> {
                        String type = p.path("type").asText();
                        if (type.equals("error") || type.equals("assert")) {
                            errors.add("console." + type + ": " + p.path("args"));
                        }
                    }
                    case "Runtime.exceptionThrown" -> errors.add("exception: " + p.path("exceptionDetails"));
                    case "Log.entryAdded" -> {
                        JsonNode e = p.path("entry");
                        if (e.path("level").asText().equals("error")) {
                            errors.add("log: " + e.path("source").asText() + ": " + e.path("text").asText());
                        }
                    }
                    case "Network.requestWillBeSent" -> {
                        String u = p.path("request").path("url").asText();
                        if (!u.equals(url) && !u.equals("about:blank")) {
                            requests.add(u);
                        }
                    }
                    default -> {
                    }
                }
            }
        }

        @Override
        public void close() throws Exception {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/close/" + id)).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    static Duration settle() {
        return Duration.ofMillis(300);
    }
}
