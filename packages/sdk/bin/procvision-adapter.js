#!/usr/bin/env node
// The `procvision-adapter` command. This committed file (not dist/adapter-bin.js itself) is the
// package's bin so that a workspace install can link it before the first build.
import '../dist/adapter-bin.js';
