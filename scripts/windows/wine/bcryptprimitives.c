/*
 * A stand-in for Windows' bcryptprimitives.dll, which Wine 8.0 lacks (Wine >= 9 has it):
 * sharp's libvips-42.dll imports its ProcessPrng (Windows 10's random source). Built with
 * mingw-w64 into the Wine prefix by scripts/test-windows.mjs; never shipped, never needed on
 * Windows itself. ProcessPrng fills the buffer from BCryptGenRandom (the system RNG).
 */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
  while (length > 0) {
    ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
    if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) return FALSE;
    data += chunk;
    length -= chunk;
  }
  return TRUE;
}
