package dev.skiff.apiserver.handler;

import dev.skiff.apiserver.auth.Authenticator;
import dev.skiff.apiserver.auth.UserInfo;
import dev.skiff.apiserver.authz.Attributes;
import dev.skiff.apiserver.authz.Impersonation;
import dev.skiff.apiserver.authz.RbacAuthorizer;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.http.HttpTransport;
import dev.skiff.apiserver.metrics.ApiMetrics;
import dev.skiff.apiserver.request.QueryFlags;
import dev.skiff.apiserver.request.RequestInfo;
import dev.skiff.apiserver.request.RequestInfoParser;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.storage.StorageUnavailableException;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application behind the transport: health endpoints, authentication (401 for anonymous requests beyond the
 * public ones, as with upstream's default RBAC for {@code system:unauthenticated}), discovery, then resource
 * requests. Every failure becomes a {@code Status}; nothing a client sends makes it throw past here.
 */
public final class ApiHandler implements HttpTransport.Application {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    /** Paths anyone may read (upstream's system:public-info-viewer). */
    private static final Set<String> PUBLIC = Set.of("/healthz", "/livez", "/readyz", "/version", "/version/");

    private final Authenticator authenticator;
    private final RbacAuthorizer authorizer;
    /** Pod subresources that stream through the kubelet (decision 029). */
    private static final java.util.Set<String> STREAM_SUBRESOURCES = java.util.Set.of("exec", "attach",
            "portforward");
    private final ReviewHandler reviews;
    private final Impersonation impersonation;
    private final Discovery discovery;
    private static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", "",
            java.util.List.of("system:unauthenticated"), java.util.Map.of());

    private final ResourceHandler resources;
    private final Responses responses;
    private final BooleanSupplier ready;
    private final ApiMetrics metrics;

    public ApiHandler(Authenticator authenticator, RbacAuthorizer authorizer, Discovery discovery,
            ResourceHandler resources, Responses responses, ApiMetrics metrics, BooleanSupplier ready) {
        this.metrics = metrics;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.reviews = new ReviewHandler(authorizer, responses);
        this.impersonation = new Impersonation(authorizer);
        this.discovery = discovery;
        this.resources = resources;
        this.responses = responses;
        this.ready = ready;
    }

    @Override
    public void handle(Exchange exchange) {
        long started = System.nanoTime();
        int[] code = {200};
        // Parsed once: routing, authorization and the request metrics all need it.
        RequestInfo info = RequestInfoParser.parse(exchange.method(), exchange.path(),
                QueryFlags.isTrue(exchange.param("watch")));
        try {
            route(exchange, info);
        } catch (ApiException e) {
            code[0] = e.code();
            if (!exchange.answered()) {
                responses.error(exchange, e);
            }
        } catch (StorageUnavailableException e) {
            code[0] = 503;
            LOG.warn("storage unavailable for {} {}: {}", exchange.method(), exchange.path(), e.getMessage());
            if (!exchange.answered()) {
                responses.error(exchange, ApiException.unavailable("storage is unavailable: " + e.getMessage(), 1));
            }
        } catch (RuntimeException e) {
            code[0] = 500;
            LOG.error("internal error on {} {}", exchange.method(), exchange.path(), e);
            if (!exchange.answered()) {
                responses.error(exchange, ApiException.internal(e.toString()));
            }
        } finally {
            record(info, code[0], started);
        }
    }

    private void record(RequestInfo info, int code, long started) {
        metrics.request(info.verb(), info.group(), info.resource(), info.subresource(), code,
                java.time.Duration.ofNanos(System.nanoTime() - started));
    }

    @Override
    public void refuse(Exchange exchange, int status) {
        responses.error(exchange, status == 413 ? ApiException.requestTooLarge()
                : ApiException.badRequest("the request was refused"));
    }

    private void route(Exchange exchange, RequestInfo info) {
        String path = exchange.path();
        if (health(exchange, path)) {
            return;
        }
        Optional<UserInfo> authenticated = authenticator.authenticate(exchange.clientChain(),
                exchange.header("Authorization"));
        if (authenticated.isEmpty() && !PUBLIC.contains(path)) {
            throw ApiException.unauthorized();
        }
        UserInfo user = authenticated.isEmpty() ? ANONYMOUS : impersonation.effectiveUser(authenticated.get(),
                name -> exchange.headers(name), exchange.headerNames());
        authorize(user, info, info.verb());
        if (info.resourceRequest() && info.verb().equals("get") && info.group().isEmpty()
                && info.resource().equals("pods") && STREAM_SUBRESOURCES.contains(info.subresource())) {
            // Opening exec/attach/portforward as a WebSocket GET must also be allowed to create them, as the SPDY
            // POST always was (upstream's AuthorizePodWebsocketUpgradeCreatePermission, on by default since 1.31).
            authorize(user, info, "create");
        }
        if (discovery.serve(exchange)) {
            return;
        }
        if (!info.resourceRequest() && (path.equals("/metrics") || path.equals("/metrics/"))) {
            exchange.respond(200, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
            return;
        }
        if (!info.resourceRequest()) {
            throw ApiException.pathNotFound();
        }
        if (ReviewHandler.handles(info)) {
            reviews.handle(exchange, info, user);
            return;
        }
        resources.handle(exchange, info, user);
    }

    private void authorize(UserInfo user, RequestInfo info, String verb) {
        Attributes attributes = new Attributes(user, verb, info.resourceRequest(), info.group(),
                info.resource(), info.subresource(), info.namespace(), info.name(), info.path());
        RbacAuthorizer.Decision decision = authorizer.authorize(attributes);
        if (decision.allowed()) {
            return;
        }
        if (!info.resourceRequest()) {
            throw new ApiException(new dev.skiff.apiserver.status.Status("Failure",
                    "forbidden: " + decision.reason(), "Forbidden",
                    new dev.skiff.apiserver.status.Status.Details(null, null, null, null, null, null), 403));
        }
        String resource = info.subresource().isEmpty() ? info.resource() : info.resource() + "/" + info.subresource();
        throw ApiException.forbidden(info.group(), resource, info.name(), decision.reason());
    }

    private boolean health(Exchange exchange, String path) {
        String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (base.equals("/healthz") || base.equals("/livez") || base.startsWith("/healthz/")
                || base.startsWith("/livez/")) {
            responses.text(exchange, 200, "ok");
            return true;
        }
        if (base.equals("/readyz") || base.startsWith("/readyz/")) {
            if (ready.getAsBoolean()) {
                responses.text(exchange, 200, "ok");
            } else {
                responses.text(exchange, 503, "[-]storage not ready\nreadyz check failed");
            }
            return true;
        }
        return false;
    }
}
