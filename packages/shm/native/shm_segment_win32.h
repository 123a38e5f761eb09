/*
 * The Windows half of shm_segment.c (included there under _WIN32; one translation unit):
 * create, open and unlink over named file mappings backed by the paging file.
 *
 * - The object name is "Local\procvision-shm-<name>" (the session's namespace: a runner run as
 *   a service and its algorithm processes share session 0).
 * - create: CreateFileMappingW with SEC_COMMIT (the whole size is committed at once, so a full
 *   commit limit fails here, not on a later write) and a security descriptor whose only entry
 *   grants the creating user's SID full access (protected DACL: nothing inherited, no other user,
 *   no Administrators group). An existing name fails with EEXIST, like O_EXCL.
 * - open: OpenFileMappingW(FILE_MAP_READ) + a read-only view; the view size comes from
 *   VirtualQuery, rounded up to whole pages (the header's checks bound every read).
 * - unlink: closes the creator's mapping handle. The mapping ends with its last handle or view,
 *   so a reader still holding a view keeps the pages until it closes it; no name ever outlives
 *   every process that used it (nothing to sweep after a crash). false when this process did not
 *   create `name` (or already unlinked it).
 * Errors carry the errno-style code the JavaScript side checks (E2 not found, E17 exists) or
 * EWIN<n> with the Windows error number.
 */

typedef struct owned_segment {
  char name[NAME_MAX_BYTES];
  HANDLE handle;
  struct owned_segment *next;
} owned_segment;

static owned_segment *owned_segments = NULL;

static napi_value throw_win32(napi_env env, const char *operation, const char *name, DWORD error) {
  char text[160] = "";
  FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, error, 0, text, sizeof text, NULL);
  size_t length = strlen(text);
  while (length > 0 && (text[length - 1] == '\n' || text[length - 1] == '\r' || text[length - 1] == '.')) text[--length] = '\0';
  char message[256];
  snprintf(message, sizeof message, "%s(%s) failed: %s (Windows error %lu)", operation, name, length > 0 ? text : "unknown error",
           (unsigned long)error);
  char code[32];
  if (error == ERROR_FILE_NOT_FOUND) snprintf(code, sizeof code, "E%d", ENOENT);
  else if (error == ERROR_ALREADY_EXISTS) snprintf(code, sizeof code, "E%d", EEXIST);
  else if (error == ERROR_ACCESS_DENIED) snprintf(code, sizeof code, "E%d", EACCES);
  else if (error == ERROR_COMMITMENT_LIMIT || error == ERROR_NOT_ENOUGH_MEMORY) snprintf(code, sizeof code, "E%d", ENOSPC);
  else snprintf(code, sizeof code, "EWIN%lu", (unsigned long)error);
  napi_throw_error(env, code, message);
  return NULL;
}

/* "/<name>" (as read_name_argument fills it) -> L"Local\procvision-shm-<name>"; names are ASCII. */
static void object_name(const char *name, wchar_t *out, size_t capacity) {
  const wchar_t prefix[] = L"Local\\procvision-shm-";
  size_t at = 0;
  for (; prefix[at] != L'\0' && at + 1 < capacity; ++at) out[at] = prefix[at];
  for (const char *cursor = name + 1; *cursor != '\0' && at + 1 < capacity; ++cursor) out[at++] = (wchar_t)(unsigned char)*cursor;
  out[at] = L'\0';
}

/* A security descriptor granting GENERIC_ALL to the process's user only; LocalFree it. */
static PSECURITY_DESCRIPTOR owner_only_descriptor(DWORD *error) {
  HANDLE token = NULL;
  PSECURITY_DESCRIPTOR descriptor = NULL;
  char *sid_text = NULL;
  BYTE buffer[256];
  DWORD size = 0;
  *error = 0;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token) ||
      !GetTokenInformation(token, TokenUser, buffer, sizeof buffer, &size) ||
      !ConvertSidToStringSidA(((TOKEN_USER *)buffer)->User.Sid, &sid_text)) {
    *error = GetLastError();
  } else {
    char sddl[192];
    snprintf(sddl, sizeof sddl, "D:P(A;;GA;;;%s)", sid_text);
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorA(sddl, SDDL_REVISION_1, &descriptor, NULL)) *error = GetLastError();
  }
  if (sid_text != NULL) LocalFree(sid_text);
  if (token != NULL) CloseHandle(token);
  return descriptor;
}

static napi_value create_segment(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  char name[NAME_MAX_BYTES];
  if (!read_name_argument(env, info, 2, argv, name)) return NULL;
  int64_t size = 0;
  if (napi_get_value_int64(env, argv[1], &size) != napi_ok || size <= 0) {
    napi_throw_range_error(env, NULL, "segment size must be a positive integer");
    return NULL;
  }
  owned_segment *entry = (owned_segment *)calloc(1, sizeof(owned_segment));
  if (entry == NULL) {
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  DWORD error = 0;
  PSECURITY_DESCRIPTOR descriptor = owner_only_descriptor(&error);
  if (descriptor == NULL) {
    free(entry);
    return throw_win32(env, "owner-only security descriptor", name, error);
  }
  SECURITY_ATTRIBUTES attributes = {sizeof attributes, descriptor, FALSE};
  wchar_t wide[NAME_MAX_BYTES + 32];
  object_name(name, wide, sizeof wide / sizeof wide[0]);
  HANDLE mapping = CreateFileMappingW(INVALID_HANDLE_VALUE, &attributes, PAGE_READWRITE | SEC_COMMIT, (DWORD)((uint64_t)size >> 32),
                                      (DWORD)((uint64_t)size & 0xffffffffu), wide);
  error = GetLastError();
  LocalFree(descriptor);
  if (mapping != NULL && error == ERROR_ALREADY_EXISTS) {
    CloseHandle(mapping);
    mapping = NULL;
  }
  if (mapping == NULL) {
    free(entry);
    return throw_win32(env, "CreateFileMappingW", name, error);
  }
  void *address = MapViewOfFile(mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, (SIZE_T)size);
  if (address == NULL) {
    error = GetLastError();
    CloseHandle(mapping);
    free(entry);
    return throw_win32(env, "MapViewOfFile", name, error);
  }
  memcpy(entry->name, name, NAME_MAX_BYTES);
  entry->handle = mapping;
  entry->next = owned_segments;
  owned_segments = entry;
  return wrap_mapping(env, address, (size_t)size);
}

static napi_value open_segment(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char name[NAME_MAX_BYTES];
  if (!read_name_argument(env, info, 1, argv, name)) return NULL;
  wchar_t wide[NAME_MAX_BYTES + 32];
  object_name(name, wide, sizeof wide / sizeof wide[0]);
  HANDLE mapping = OpenFileMappingW(FILE_MAP_READ, FALSE, wide);
  if (mapping == NULL) return throw_win32(env, "OpenFileMappingW", name, GetLastError());
  void *address = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
  DWORD error = GetLastError();
  CloseHandle(mapping); /* the view keeps the mapping alive */
  if (address == NULL) return throw_win32(env, "MapViewOfFile", name, error);
  MEMORY_BASIC_INFORMATION region;
  if (VirtualQuery(address, &region, sizeof region) == 0 || region.RegionSize == 0) {
    error = GetLastError();
    UnmapViewOfFile(address);
    return throw_win32(env, "VirtualQuery", name, error);
  }
  return wrap_mapping(env, address, (size_t)region.RegionSize);
}

static napi_value unlink_segment(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char name[NAME_MAX_BYTES];
  if (!read_name_argument(env, info, 1, argv, name)) return NULL;
  int found = 0;
  for (owned_segment **cursor = &owned_segments; *cursor != NULL; cursor = &(*cursor)->next) {
    if (strcmp((*cursor)->name, name) == 0) {
      owned_segment *entry = *cursor;
      *cursor = entry->next;
      CloseHandle(entry->handle);
      free(entry);
      found = 1;
      break;
    }
  }
  napi_value result;
  napi_get_boolean(env, found, &result);
  return result;
}
