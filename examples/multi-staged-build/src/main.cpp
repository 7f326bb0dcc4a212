// Prints one line; linked statically so it runs on any Linux image, even an empty one.
#include <iostream>

int main() {
    std::cout << "Hello from a statically linked C++ program!" << std::endl;
    return 0;
}
