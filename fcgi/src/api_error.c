#include "api_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void api_error_set(struct api_error *err, int status, const char *code, const char *param,
		   const char *fmt, ...)
{
	va_list ap;

	err->status = status;
	err->code = code;
	err->retry_after = 0;
	snprintf(err->param, sizeof(err->param), "%s", param ? param : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}
