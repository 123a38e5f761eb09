/*
 * procvision-job.exe: the Windows launcher of every algorithm process.
 *
 *   procvision-job.exe <runner-pid> <program> [arguments...]
 *
 * Creates a Job Object with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, starts <program> suspended with
 * the launcher's own standard handles (the runner's pipes: no relay, no copy), assigns it to the
 * job and resumes it. Everything the program starts is born inside the job. The launcher then
 * waits for either the program or the runner (<runner-pid>) to end:
 *   - the program exits: the launcher exits with its exit code; closing the job handle ends
 *     whatever the program left behind (grandchildren die with their algorithm);
 *   - the runner ends (even by TerminateProcess): the launcher terminates the job and exits;
 *   - the launcher itself is terminated (the runner's kill): the system closes its handles, the
 *     last handle of the job goes and kill-on-close ends the whole tree.
 * Node cannot create Job Objects; this is the smallest native piece that can. Exit codes of
 * the launcher's own failures: 0x7e0 (bad usage) and 0x7e1 (a system call failed, on stderr).
 */
#define WIN32_LEAN_AND_MEAN
#ifndef UNICODE
#define UNICODE
#endif
#ifndef _UNICODE
#define _UNICODE
#endif
#include <windows.h>
#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#define EXIT_USAGE 0x7e0
#define EXIT_SYSTEM 0x7e1

static void fail(const char *operation) {
  DWORD error = GetLastError();
  char message[160];
  int length = snprintf(message, sizeof message, "procvision-job: %s failed (Windows error %lu)\n", operation, (unsigned long)error);
  DWORD written = 0;
  WriteFile(GetStdHandle(STD_ERROR_HANDLE), message, (DWORD)length, &written, NULL);
  ExitProcess(EXIT_SYSTEM);
}

/* Appends one argument quoted the way CommandLineToArgvW (and the C runtime) splits it back. */
static wchar_t *append_quoted(wchar_t *out, const wchar_t *argument) {
  if (argument[0] != L'\0' && wcspbrk(argument, L" \t\n\v\"") == NULL) {
    size_t length = wcslen(argument);
    wmemcpy(out, argument, length);
    return out + length;
  }
  *out++ = L'"';
  for (const wchar_t *cursor = argument;; ++cursor) {
    size_t backslashes = 0;
    while (*cursor == L'\\') {
      ++cursor;
      ++backslashes;
    }
    if (*cursor == L'\0') {
      for (size_t i = 0; i < backslashes * 2; ++i) *out++ = L'\\';
      break;
    }
    if (*cursor == L'"') {
      for (size_t i = 0; i < backslashes * 2 + 1; ++i) *out++ = L'\\';
    } else {
      for (size_t i = 0; i < backslashes; ++i) *out++ = L'\\';
    }
    *out++ = *cursor;
  }
  *out++ = L'"';
  return out;
}

int wmain(void) {
  int argc = 0;
  wchar_t **argv = CommandLineToArgvW(GetCommandLineW(), &argc);
  if (argv == NULL || argc < 3) {
    const char usage[] = "usage: procvision-job.exe <runner-pid> <program> [arguments...]\n";
    DWORD written = 0;
    WriteFile(GetStdHandle(STD_ERROR_HANDLE), usage, sizeof usage - 1, &written, NULL);
    return EXIT_USAGE;
  }
  DWORD runner_pid = (DWORD)wcstoul(argv[1], NULL, 10);
  size_t capacity = 1;
  for (int i = 2; i < argc; ++i) capacity += wcslen(argv[i]) * 2 + 3;
  wchar_t *command_line = (wchar_t *)calloc(capacity, sizeof(wchar_t));
  if (command_line == NULL) fail("calloc");
  wchar_t *end = command_line;
  for (int i = 2; i < argc; ++i) {
    if (i > 2) *end++ = L' ';
    end = append_quoted(end, argv[i]);
  }
  *end = L'\0';

  HANDLE job = CreateJobObjectW(NULL, NULL);
  if (job == NULL) fail("CreateJobObjectW");
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
  ZeroMemory(&limits, sizeof limits);
  limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits)) fail("SetInformationJobObject");
  /* The job handle must not leak into the program: it would keep the job alive. */
  SetHandleInformation(job, HANDLE_FLAG_INHERIT, 0);

  HANDLE runner = runner_pid == 0 ? NULL : OpenProcess(SYNCHRONIZE, FALSE, runner_pid);
  if (runner_pid != 0 && runner == NULL) fail("OpenProcess(runner)");

  STARTUPINFOW startup;
  ZeroMemory(&startup, sizeof startup);
  startup.cb = sizeof startup;
  startup.dwFlags = STARTF_USESTDHANDLES;
  startup.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
  startup.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
  startup.hStdError = GetStdHandle(STD_ERROR_HANDLE);
  PROCESS_INFORMATION child;
  ZeroMemory(&child, sizeof child);
  if (!CreateProcessW(NULL, command_line, NULL, NULL, TRUE, CREATE_SUSPENDED | CREATE_NO_WINDOW, NULL, NULL, &startup, &child)) {
    DWORD error = GetLastError();
    char program[1024] = "";
    WideCharToMultiByte(CP_UTF8, 0, argv[2], -1, program, sizeof program - 1, NULL, NULL);
    fprintf(stderr, "procvision-job: cannot start %s: CreateProcessW failed (Windows error %lu%s)\n", program, (unsigned long)error,
            error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND ? ", ENOENT" : "");
    fflush(stderr);
    ExitProcess(EXIT_SYSTEM);
  }
  if (!AssignProcessToJobObject(job, child.hProcess)) {
    TerminateProcess(child.hProcess, EXIT_SYSTEM);
    fail("AssignProcessToJobObject");
  }
  ResumeThread(child.hThread);
  CloseHandle(child.hThread);
  /* The launcher no longer needs its standard handles: the program holds its own copies. */
  CloseHandle(GetStdHandle(STD_INPUT_HANDLE));
  CloseHandle(GetStdHandle(STD_OUTPUT_HANDLE));

  HANDLE waits[2] = {child.hProcess, runner};
  DWORD which = WaitForMultipleObjects(runner == NULL ? 1 : 2, waits, FALSE, INFINITE);
  if (which == WAIT_OBJECT_0) {
    DWORD code = 0;
    GetExitCodeProcess(child.hProcess, &code);
    TerminateJobObject(job, code);
    ExitProcess(code);
  }
  /* The runner is gone (or the wait failed): nothing of the algorithm may outlive it. */
  TerminateJobObject(job, 1);
  ExitProcess(1);
}
