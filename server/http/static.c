/* static.c - serving the client's files, with safe paths and MIME types. */
#include "http/static.h"
#include "bounds.h"
#include "core/mem.h"
#include "http/reply.h"

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* 1 if every segment of a decoded URL path is an ordinary name. */
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
		if (!end)
			break;
		seg = end + 1;
	}
	return 1;
}

void http_static(const char *web_root, struct evhttp_request *req, const char *raw_path)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char *path = NULL, *file = NULL;
	struct stat stt;
	int fd = -1;

	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		http_reply_error(req, 405, "method_not_allowed", NULL);
		return;
	}
	path = evhttp_uridecode(raw_path, 0, NULL);
	if (!path || !http_path_safe(path) || !web_root)
		goto notfound;
	file = xasprintf("%s%s%s", web_root, path, path[strlen(path) - 1] == '/' ? "index.html" : "");
	if (stat(file, &stt) == 0 && S_ISDIR(stt.st_mode)) {
		/* Directory without a slash: redirect so relative URLs work. */
		char *loc = xasprintf("%s/", path);
		http_reply_redirect(req, loc);
		free(loc);
		goto out;
	}
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &stt) != 0 || !S_ISREG(stt.st_mode) ||
	    stt.st_size > UJ_STATIC_FILE_MAX)
		goto notfound;
	{
		struct evbuffer *buf = evbuffer_new();
		struct evkeyvalq *h = evhttp_request_get_output_headers(req);
		const char *mime = http_mime(file);
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
	free(file);
	free(path);
}
