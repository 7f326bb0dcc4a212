// wordfreq counts the words of a built-in text and prints the most frequent ones.
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
)

const text = "the cache keeps what the compiler made so the next build compiles only what changed"

const shown = 4

func main() {
	counts := map[string]int{}
	for _, word := range strings.Fields(text) {
		counts[word]++
	}
	words := make([]string, 0, len(counts))
	for word := range counts {
		words = append(words, word)
	}
	sort.Slice(words, func(i, j int) bool {
		if counts[words[i]] != counts[words[j]] {
			return counts[words[i]] > counts[words[j]]
		}
		return words[i] < words[j]
	})
	table := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	for _, word := range words[:shown] {
		fmt.Fprintf(table, "%s\t%d\n", word, counts[word])
	}
	table.Flush()
}
