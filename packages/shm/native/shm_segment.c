/*
 * procvision_shm: a minimal Node-API addon that maps named POSIX shared-memory
 * segments (shm_open + mmap) into JavaScript as external ArrayBuffers.
 *
 * create(name, size) -> ArrayBuffer  read/write mapping of a new segment (O_EXCL, 0600,
 *                                    posix_fallocate so a full tmpfs gives ENOSPC, not SIGBUS)
 * open(name)         -> ArrayBuffer  read-only mapping of an existing segment
 * close(buffer)      -> undefined    munmap + napi_detach_arraybuffer (stale views read empty)
 * unlink(name)       -> boolean      shm_unlink; false when the segment did not exist
 *
 * Windows (_WIN32, cross-built with mingw-w64): the same four functions over named file mappings
 * (see the _WIN32 section below): a mapping lives as long as its last handle or view.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <sddl.h>
#define unmap_pages(address, length) ((void)(length), UnmapViewOfFile(address))
#else
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define unmap_pages(address, length) munmap(address, length)
#endif

#define NAME_MAX_BYTES 64

typedef struct mapping {
  void *address;
  size_t length;
  int mapped;
  struct mapping *next;
} mapping;

static mapping *live_mappings = NULL;

#ifndef _WIN32
static napi_value throw_errno(napi_env env, const char *operation, const char *name, int error) {
  char message[256];
  snprintf(message, sizeof message, "%s(%s) failed: %s", operation, name, strerror(error));
  char code[32];
  snprintf(code, sizeof code, "E%d", error);
  napi_throw_error(env, code, message);
  return NULL;
}
#endif

/*
 * Fills argv with the call's first argc arguments (undefined where the caller passed fewer) and
 * reads argv[0], the segment name, into name as "/<name>". Returns 0 with a TypeError pending
 * when the name is not a non-empty string of at most 62 bytes.
 */
static int read_name_argument(napi_env env, napi_callback_info info, size_t argc, napi_value *argv, char *name) {
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  size_t length = 0;
  if (napi_get_value_string_utf8(env, argv[0], name + 1, NAME_MAX_BYTES - 1, &length) != napi_ok || length == 0 ||
      length >= NAME_MAX_BYTES - 2) {
    napi_throw_type_error(env, NULL, "segment name must be a non-empty string of at most 62 bytes");
    return 0;
  }
  name[0] = '/';
  return 1;
}

static void unlink_mapping(mapping *target) {
  mapping **cursor = &live_mappings;
  while (*cursor != NULL) {
    if (*cursor == target) {
      *cursor = target->next;
      return;
    }
    cursor = &(*cursor)->next;
  }
}

static void finalize_mapping(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  mapping *entry = (mapping *)hint;
  if (entry->mapped) unmap_pages(entry->address, entry->length);
  unlink_mapping(entry);
  free(entry);
}

static napi_value wrap_mapping(napi_env env, void *address, size_t length) {
  mapping *entry = (mapping *)calloc(1, sizeof(mapping));
  if (entry == NULL) {
    unmap_pages(address, length);
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  entry->address = address;
  entry->length = length;
  entry->mapped = 1;
  napi_value buffer;
  if (napi_create_external_arraybuffer(env, address, length, finalize_mapping, entry, &buffer) != napi_ok) {
    unmap_pages(address, length);
    free(entry);
    napi_throw_error(env, NULL, "napi_create_external_arraybuffer failed");
    return NULL;
  }
  entry->next = live_mappings;
  live_mappings = entry;
  return buffer;
}

#ifndef _WIN32
static napi_value create_segment(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  char name[NAME_MAX_BYTES];
  if (!read_name_argument(env, info, 2, argv, name)) return NULL;
  int64_t size = 0;
  if (napi_get_value_int64(env, argv[1], &size) != napi_ok || size <= 0) {
    napi_throw_range_error(env, NULL, "segment size must be a positive integer");
    return NULL;
  }
  int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0) return throw_errno(env, "shm_open", name, errno);
  fchmod(fd, 0600); /* the umask must not widen or narrow owner-only access */
  int failure = 0;
  const char *operation = "ftruncate";
  if (ftruncate(fd, (off_t)size) != 0) failure = errno;
#ifdef __linux__
  if (failure == 0) {
    operation = "posix_fallocate";
    failure = posix_fallocate(fd, 0, (off_t)size);
  }
#endif
  void *address = MAP_FAILED;
  if (failure == 0) {
    operation = "mmap";
    address = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (address == MAP_FAILED) failure = errno;
  }
  close(fd);
  if (failure != 0) {
    shm_unlink(name);
    return throw_errno(env, operation, name, failure);
  }
  return wrap_mapping(env, address, (size_t)size);
}

static napi_value open_segment(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char name[NAME_MAX_BYTES];
  if (!read_name_argument(env, info, 1, argv, name)) return NULL;
  int fd = shm_open(name, O_RDONLY, 0);
  if (fd < 0) return throw_errno(env, "shm_open", name, errno);
  struct stat status;
  if (fstat(fd, &status) != 0) {
    int error = errno;
    close(fd);
    return throw_errno(env, "fstat", name, error);
  }
  if (status.st_size <= 0) {
    close(fd);
    return throw_errno(env, "mmap", name, EINVAL);
  }
  void *address = mmap(NULL, (size_t)status.st_size, PROT_READ, MAP_SHARED, fd, 0);
  int error = errno;
  close(fd);
  if (address == MAP_FAILED) return throw_errno(env, "mmap", name, error);
  return wrap_mapping(env, address, (size_t)status.st_size);
}

#endif

static napi_value close_segment(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  void *data = NULL;
  size_t length = 0;
  if (argc < 1 || napi_get_arraybuffer_info(env, argv[0], &data, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "close expects an ArrayBuffer returned by create or open");
    return NULL;
  }
  for (mapping *entry = live_mappings; entry != NULL; entry = entry->next) {
    if (entry->mapped && entry->address == data && entry->length == length) {
      /* Detach first so no JavaScript view can reach the pages, then unmap. */
      napi_detach_arraybuffer(env, argv[0]);
      unmap_pages(entry->address, entry->length);
      entry->mapped = 0;
      break;
    }
  }
  return NULL;
}

#ifndef _WIN32
static napi_value unlink_segment(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char name[NAME_MAX_BYTES];
  if (!read_name_argument(env, info, 1, argv, name)) return NULL;
  napi_value result;
  if (shm_unlink(name) == 0) {
    napi_get_boolean(env, 1, &result);
    return result;
  }
  if (errno == ENOENT) {
    napi_get_boolean(env, 0, &result);
    return result;
  }
  return throw_errno(env, "shm_unlink", name, errno);
}
#else
#include "shm_segment_win32.h"
#endif

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"create", NULL, create_segment, NULL, NULL, NULL, napi_enumerable, NULL},
      {"open", NULL, open_segment, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, close_segment, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unlink", NULL, unlink_segment, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
