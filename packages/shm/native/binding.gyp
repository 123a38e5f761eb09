{
  "targets": [
    {
      "target_name": "procvision_shm",
      "sources": ["shm_segment.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "conditions": [
        ["OS=='linux'", { "libraries": ["-lrt"] }],
        ["OS=='win'", { "libraries": ["advapi32.lib"] }]
      ]
    }
  ]
}
