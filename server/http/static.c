/* static.c - serving the client's files: safe paths, containment in the web
 * root, MIME types. */
#include "http/static.h"
#include "bounds.h"
#include "core/mem.h"
#include "http/reply.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *http_mime(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".json", "application/json; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".jpg", "image/jpeg" },
		{ ".ico", "image/x-icon" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".woff2", "font/woff2" },
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* 1 if every segment of a decoded URL path is an ordinary name: no ".",
 * "..", hidden or empty segments ("//x" would redirect to the
 * protocol-relative "//x/"), no control characters or backslashes. */
static int http_path_safe(const char *p)
{
	if (p[0] != '/' || strlen(p) > UJ_URL_PATH_MAX)
		return 0;
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == '\\')
			return 0;
	const char *seg = p + 1;
	for (;;) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		if (n > 0 && seg[0] == '.')
			return 0; /* ".", "..", hidden files */
		if (n == 0 && end)
			return 0; /* an empty segment: "//" */
		if (!end)
			break;
		seg = end + 1;
	}
	return 1;
}

/* issue 11: 1 if path is /verify/{CODE}, the public slip verification
 * page's address (a QR code on a slip links there): one segment without a
 * dot, so the page's own files (/verify/verify.js) are served as usual. */
static int http_verify_page(const char *path)
{
	const char *code = path + 8;
	return strncmp(path, "/verify/", 8) == 0 && *code && strlen(code) <= 32 &&
	       !strchr(code, '/') && !strchr(code, '.');
}

int http_web_root_open(const char *web_root)
{
	return web_root ? open(web_root, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
}

/* Open rel (no leading slash; "" is the root itself) below the web root for
 * reading, never leaving it: openat2 with RESOLVE_BENEATH refuses "..",
 * absolute paths and symbolic links that resolve outside the root (links
 * inside it are followed). Returns a descriptor or -1. */
static int http_open_beneath(int root_fd, const char *rel)
{
	struct open_how how;
	memset(&how, 0, sizeof how);
	how.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, root_fd, *rel ? rel : ".", &how, sizeof how);
}

void http_static(int root_fd, struct evhttp_request *req, const char *raw_path)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char *path = NULL, *index = NULL;
	size_t decoded = 0;
	struct stat stt;
	int fd = -1;

	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		http_reply_error(req, 405, "method_not_allowed", NULL);
		return;
	}
	path = evhttp_uridecode(raw_path, 0, &decoded);
	/* An encoded NUL ("%00") would cut the name short ("/index.html%00.png"
	 * would serve index.html). */
	if (!path || decoded != strlen(path) || !http_path_safe(path) || root_fd < 0)
		goto notfound;
	if (http_verify_page(path)) {
		free(path);
		path = xstrdup("/verify/index.html");
	}
	fd = http_open_beneath(root_fd, path + 1);
	if (fd < 0 || fstat(fd, &stt) != 0)
		goto notfound;
	if (S_ISDIR(stt.st_mode)) {
		if (path[strlen(path) - 1] != '/') {
			/* Directory without a slash: redirect so relative URLs work. */
			char *loc = xasprintf("%s/", path);
			http_reply_redirect(req, loc);
			free(loc);
			goto out;
		}
		close(fd);
		index = xasprintf("%sindex.html", path + 1);
		fd = http_open_beneath(root_fd, index);
		if (fd < 0 || fstat(fd, &stt) != 0)
			goto notfound;
	}
	if (!S_ISREG(stt.st_mode) || stt.st_size > UJ_STATIC_FILE_MAX)
		goto notfound;
	{
		struct evbuffer *buf = evbuffer_new();
		struct evkeyvalq *h = evhttp_request_get_output_headers(req);
		const char *mime = http_mime(index ? index : path);
		evhttp_add_header(h, "Cache-Control", "no-cache");
		if (strncmp(mime, "text/html", 9) == 0)
			evhttp_add_header(h, "Content-Security-Policy",
					  "default-src 'self'; img-src 'self' data:; "
					  "style-src 'self'; script-src 'self'; "
					  "object-src 'none'; frame-ancestors 'none'; base-uri 'none'");
		if (stt.st_size > 0)
			evbuffer_add_file(buf, fd, 0, stt.st_size);
		else
			close(fd);
		fd = -1;
		http_reply_buffer(req, 200, buf, mime);
		evbuffer_free(buf);
	}
	goto out;
notfound:
	http_reply_error(req, 404, "not_found", NULL);
out:
	if (fd >= 0)
		close(fd);
	free(index);
	free(path);
}
