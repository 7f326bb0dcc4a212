/* BCT stand-in for the hello-world image: the text is a stand-in text. */
#include <unistd.h>

static const char msg[] =
    "Hello from Docker!\n"
    "This message shows that your installation appears to be working correctly.\n"
    "\n"
    "(This is the Basic Containers Training stand-in for hello-world, built\n"
    "locally for offline tests; the real image prints a similar message.)\n"
    "\n"
    "To generate this message, Docker took the following steps:\n"
    " 1. The Docker client contacted the Docker daemon.\n"
    " 2. The Docker daemon found the \"hello-world\" image in its local image store.\n"
    " 3. The Docker daemon created a new container from that image which runs the\n"
    "    executable that produces the output you are currently reading.\n"
    " 4. The Docker daemon streamed that output to the Docker client, which sent it\n"
    "    to your terminal.\n";

int main(void) {
  size_t off = 0, len = sizeof msg - 1;
  while (off < len) {
    ssize_t n = write(1, msg + off, len - off);
    if (n <= 0) return 1;
    off += (size_t)n;
  }
  return 0;
}
