import "node-llama-cpp";
import "zod";
import "@huggingface/hub";
import "web-tree-sitter";
